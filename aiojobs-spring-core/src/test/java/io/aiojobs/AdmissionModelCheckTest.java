package io.aiojobs;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

/**
 * Model checking of the admission path with Lincheck: every interleaving (up to Lincheck's
 * bounds) of three threads that spawn jobs and close the scheduler, each operation checked
 * against the same operations run one after the other, and after each interleaving: no job
 * left behind (pending with a slot free, or active with nobody to run it), every spawned job
 * ended, the counts back at zero.
 *
 * <p>The scheduler runs jobs on the thread that dispatches them (a direct executor), so a
 * job's whole life, and the slot it frees for the next one, happen inside the operations
 * Lincheck drives: spawn's lock-free push against the freeing of a slot, the hand-over of a
 * freed slot to a queued job, close() against both. A listener is attached, which also
 * checks that onSpawned comes first; and it keeps the scheduler from stamping jobs with
 * {@link CoarseClock}, whose own thread Lincheck would take for a fourth, non-deterministic one.
 */
public class AdmissionModelCheckTest {

    private final JobScheduler scheduler = JobScheduler.builder().limit(1).pendingLimit(0)
            .closeTimeout(Duration.ZERO).executor(Runnable::run)
            .exceptionHandler((s, context) -> { }).listener(new JobListener() { }).build();
    private final List<Job<?>> spawned = new CopyOnWriteArrayList<>();

    @Operation
    public String spawn() {
        try {
            this.spawned.add(this.scheduler.spawn(() -> { }));
            return "spawned";
        } catch (RejectedExecutionException e) {
            return "rejected";
        }
    }

    @Operation
    public void close() {
        this.scheduler.close();
    }

    @Validate
    public void nothingLeftBehind() {
        if (this.scheduler.activeCount() != 0 || this.scheduler.pendingCount() != 0) {
            throw new AssertionError("left behind: " + this.scheduler.activeCount() + " active, "
                    + this.scheduler.pendingCount() + " pending");
        }
        for (Job<?> job : this.spawned) {
            if (!job.isClosed() || !job.future().isDone()) {
                throw new AssertionError(job + " did not end");
            }
        }
    }

    /**
     * Two operations, one each on two threads, every interleaving Lincheck can reach: the
     * narrowest race, a spawn that finds the only slot busy while the job holding it ends, as
     * the last thing that happens (a later spawn would take the lock and rescue a job that the
     * race left behind, so longer scenarios hide it).
     */
    @Test
    void theLastSpawnNeverStaysQueuedBesideAFreeSlot() {
        new ModelCheckingOptions().iterations(20).invocationsPerIteration(1000).threads(2)
                .actorsPerThread(1).actorsBefore(0).actorsAfter(0).check(AdmissionModelCheckTest.class);
    }

    @Test
    void admissionIsLinearizableAndLosesNoJob() {
        new ModelCheckingOptions().iterations(10).invocationsPerIteration(200).threads(3).actorsBefore(0).actorsAfter(0)
                .actorsPerThread(3).check(AdmissionModelCheckTest.class);
    }
}
