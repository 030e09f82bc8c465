package io.aiojobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aiojobs.Testing.Gate;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CollectionViewTest {

    @RegisterExtension
    final Testing testing = new Testing();

    @Test
    void theSchedulerIsACollectionOfItsActiveAndPendingJobs() throws Exception {
        JobScheduler scheduler = this.testing.scheduler(b -> b.limit(1));
        Gate gate = this.testing.gate();
        assertThat(scheduler).isEmpty();
        assertThat(scheduler.toString()).isEqualTo("JobScheduler[jobs=0]");
        Job<Void> active = scheduler.spawn(gate.task());
        gate.awaitReached();
        Job<Integer> pending = scheduler.spawn(() -> 2);
        assertThat(scheduler).hasSize(2).containsExactly(active, pending);
        assertThat(scheduler.contains(active)).isTrue();
        assertThat(scheduler.containsAll(List.of(active, pending))).isTrue();
        assertThat(scheduler.contains("not a job")).isFalse();
        assertThat(scheduler.contains(null)).isFalse();
        assertThat(scheduler.toArray()).containsExactly(active, pending);
        assertThat(scheduler.toArray(new Job<?>[0])).containsExactly(active, pending);
        assertThat(scheduler.stream().map(Job::getName)).hasSize(2);
        assertThat(scheduler.toString()).isEqualTo("JobScheduler[jobs=2]");
        scheduler.shield(() -> 1);
        gate.open();
        pending.await();
        assertThat(scheduler).isEmpty();
        assertThat(scheduler.contains(active)).isFalse();
        assertThat(scheduler.containsAll(List.of(active))).isFalse();
        scheduler.close();
        assertThat(scheduler.toString()).isEqualTo("JobScheduler[closed jobs=0]");
    }

    @Test
    void aJobOfAnotherSchedulerIsNotContained() throws Exception {
        JobScheduler one = this.testing.scheduler();
        JobScheduler other = this.testing.scheduler();
        Gate gate = this.testing.gate();
        Job<Void> job = other.spawn(gate.task());
        assertThat(one.contains(job)).isFalse();
        assertThat(other.contains(job)).isTrue();
    }

    @Test
    void theIteratorIsASnapshotThatNeverThrowsConcurrentModification() throws Exception {
        JobScheduler scheduler = this.testing.scheduler(b -> b.limit(1));
        Gate gate = this.testing.gate();
        Job<Void> first = scheduler.spawn(gate.task());
        gate.awaitReached();
        Job<Integer> second = scheduler.spawn(() -> 2);
        Iterator<Job<?>> iterator = scheduler.iterator();
        Job<Integer> third = scheduler.spawn(() -> 3);
        second.close();
        assertThat(iterator.next()).isSameAs(first);
        assertThat(iterator.next()).isSameAs(second);
        assertThat(iterator.hasNext()).isFalse();
        assertThat(scheduler).containsExactly(first, third);
        Iterator<Job<?>> another = scheduler.iterator();
        another.next();
        assertThatThrownBy(another::remove).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void mutatorsAreNotSupported() throws Exception {
        JobScheduler scheduler = this.testing.scheduler();
        Gate gate = this.testing.gate();
        Job<Void> job = scheduler.spawn(gate.task());
        assertThatThrownBy(() -> scheduler.add(job)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> scheduler.remove(job)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> scheduler.addAll(List.of(job)))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> scheduler.removeAll(List.of(job)))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> scheduler.retainAll(List.of()))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> scheduler.removeIf(j -> true))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(scheduler::clear).isInstanceOf(UnsupportedOperationException.class);
        assertThat(scheduler).containsExactly(job);
    }

    @Test
    void bulkQueriesRejectNull() {
        JobScheduler scheduler = this.testing.scheduler();
        assertThatThrownBy(() -> scheduler.containsAll(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> scheduler.toArray((Object[]) null)).isInstanceOf(NullPointerException.class);
    }
}
