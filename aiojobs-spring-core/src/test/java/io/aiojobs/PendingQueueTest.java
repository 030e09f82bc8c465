package io.aiojobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The pending queue on one thread: order, the limit, the inbox, ghosts. */
class PendingQueueTest {

    private final JobScheduler scheduler = new JobScheduler();

    @AfterEach
    void close() {
        this.scheduler.close();
    }

    @Test
    void jobsLeaveInTheOrderTheyCameWhicheverWayTheyCame() {
        PendingQueue queue = new PendingQueue(0);
        Job<?> a = job();
        Job<?> b = job();
        Job<?> c = job();
        Job<?> d = job();
        queue.reserve();
        queue.addReserved(a);
        queue.reserve();
        queue.pushReserved(b);
        queue.reserve();
        queue.pushReserved(c);
        queue.append(queue.takeInbox());
        queue.reserve();
        queue.addReserved(d);
        assertThat(queue.size()).isEqualTo(4);
        assertThat(List.of(queue.poll(), queue.poll(), queue.poll(), queue.poll())).containsExactly(a, b, c, d);
        assertThat(queue.poll()).isNull();
        assertThat(queue.size()).isZero();
    }

    @Test
    void reservationsStopAtTheLimitAndAPausedSchedulersJobsGoBeyondIt() {
        PendingQueue queue = new PendingQueue(2);
        assertThat(queue.reserve()).isTrue();
        assertThat(queue.reserve()).isTrue();
        assertThat(queue.reserve()).isFalse();
        assertThat(queue.hasRoom()).isFalse();
        queue.addUnbounded(job());
        assertThat(queue.size()).isEqualTo(3);
    }

    @Test
    void aClosedJobLeavesTheCountAtOnceAndIsSkippedWhenPolled() {
        PendingQueue queue = new PendingQueue(0);
        Job<?> closed = job();
        Job<?> live = job();
        queue.addUnbounded(closed);
        queue.addUnbounded(live);
        assertThat(closed.discard()).isTrue();
        queue.remove(closed);
        assertThat(queue.size()).isEqualTo(1);
        assertThat(queue.poll()).isSameAs(live);
        assertThat(queue.poll()).isNull();
    }

    @Test
    void ghostsAreCompactedOnceTheyOutnumberTheLiveJobs() {
        PendingQueue queue = new PendingQueue(0);
        List<Job<?>> jobs = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Job<?> job = job();
            jobs.add(job);
            queue.addUnbounded(job);
        }
        for (int i = 0; i < 99; i++) { // close all but the last, oldest first
            jobs.get(i).discard();
            queue.remove(jobs.get(i));
        }
        List<Job<?>> left = new ArrayList<>();
        queue.copyTo(left);
        assertThat(left).containsExactly(jobs.get(99));
        assertThat(queue.drain()).containsExactly(jobs.get(99));
        assertThat(queue.size()).isZero();
    }

    @Test
    void anEmptyInboxIsTakenForNothing() {
        PendingQueue queue = new PendingQueue(0);
        assertThat(queue.inboxEmpty()).isTrue();
        assertThat(queue.takeInbox()).isEmpty();
    }

    private Job<?> job() {
        return new Job<>(this.scheduler, () -> null, null, null, List.of(), false);
    }
}
