package io.aiojobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A job's state machine, move by move, on one thread: who wins, and what gets reported. */
class JobStateTest {

    private final JobScheduler scheduler = new JobScheduler();

    @AfterEach
    void close() {
        this.scheduler.close();
    }

    @Test
    void aJobGoesPendingActiveRunningEndedDone() {
        Job<?> job = job();
        assertThat(job.isPending()).isTrue();
        job.activate();
        assertThat(job.isActive()).isTrue();
        assertThat(job.claim()).isTrue();
        assertThat(job.isActive()).isTrue();
        job.end(null);
        assertThat(job.isClosed()).isTrue();
        assertThat(job.stage()).isEqualTo(JobState.ENDED);
        assertThat(job.markDone()).as("nothing to report").isFalse();
        assertThat(job.stage()).isEqualTo(JobState.DONE);
        assertThat(job.outcome).isEqualTo(JobListener.Outcome.SUCCESS);
    }

    @Test
    void aJobStoppedBeforeItStartsEndsCancelledAndItsWorkerFindsItEnded() {
        Job<?> job = job();
        job.activate();
        assertThat(job.stop(false)).isEqualTo(JobState.ACTIVE);
        assertThat(job.stage()).isEqualTo(JobState.ENDED);
        assertThat(job.outcome).isEqualTo(JobListener.Outcome.CANCELLED);
        assertThat(job.claim()).as("the worker that gets it later").isFalse();
        assertThat(job.refuse(new RuntimeException())).as("a late refusal").isFalse();
    }

    @Test
    void aRunningJobStoppedThatReturnsNormallyIsCancelled() {
        Job<?> job = job();
        job.activate();
        job.claim();
        assertThat(job.stop(false)).isEqualTo(JobState.RUNNING);
        assertThat(job.isClosed()).isTrue();
        assertThat(Thread.interrupted()).as("the runner (this thread) was interrupted").isTrue();
        job.end(null);
        assertThat(job.outcome).isEqualTo(JobListener.Outcome.CANCELLED);
        assertThat(job.stop(false)).as("no-op once ended").isEqualTo(JobState.ENDED);
    }

    @Test
    void aFailureWithNoWaiterIsReportedByWhoeverEndsIt() {
        Job<?> job = job();
        job.activate();
        job.claim();
        job.end(new IllegalStateException());
        assertThat(job.failed()).isTrue();
        assertThat(job.markDone()).isTrue();
    }

    @Test
    void aFailureAWaiterTakesIsNotReported() {
        Job<?> job = job();
        job.activate();
        job.claim();
        assertThat(job.addWaiter()).isTrue();
        job.end(new IllegalStateException());
        assertThat(job.markDone()).isFalse();
        assertThat(job.leaveWaiting(true)).as("taken by the waiter").isTrue();
        assertThat(job.reported()).isFalse();
    }

    @Test
    void aFailureWhoseOnlyWaiterLeftWithoutItIsReportedByThatWaiterOnce() {
        Job<?> job = job();
        job.activate();
        job.claim();
        assertThat(job.addWaiter()).isTrue();
        job.end(new IllegalStateException());
        assertThat(job.markDone()).as("a waiter is still there").isFalse();
        assertThat(job.leaveWaiting(false)).as("the last waiter leaves: it reports").isTrue();
        assertThat(job.reported()).isTrue();
        assertThat(job.addWaiter()).as("DONE: no more waiting").isFalse();
    }

    @Test
    void aFailureWhoseWaitersLeftBeforeItWasPublishedIsReportedByThePublisher() {
        Job<?> job = job();
        job.activate();
        job.claim();
        job.addWaiter();
        job.end(new IllegalStateException());
        assertThat(job.leaveWaiting(false)).as("not DONE yet: the publisher will report").isFalse();
        assertThat(job.markDone()).isTrue();
    }

    @Test
    void aQueuedJobIsDiscardedOnceAndAnInboxJobAfterCloseIsRefused() {
        Job<?> job = job();
        assertThat(job.discard()).isTrue();
        assertThat(job.discard()).isFalse();
        Job<?> late = job();
        late.refuseAdmission();
        assertThat(late.refusedAdmission()).isTrue();
        assertThat(late.isClosed()).isTrue();
    }

    private Job<?> job() {
        return new Job<>(this.scheduler, () -> null, null, null, List.of(), false);
    }
}
