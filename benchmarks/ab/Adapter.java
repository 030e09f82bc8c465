package ab;
import io.aiojobs.Job;
import io.aiojobs.JobListener;
import io.aiojobs.JobScheduler;
import java.util.function.Consumer;
public final class Adapter implements Consumer<Runnable>, AutoCloseable {
    static volatile long sink;
    private final JobScheduler s;
    public Adapter(int limit, boolean virtual) {
        JobScheduler.Builder b = JobScheduler.builder().limit(limit).pendingLimit(0).virtualThreads(virtual);
        if (Boolean.getBoolean("ab.listener")) {
            b.listener(new JobListener() {
                @Override public void onFinished(Job<?> job, Outcome outcome, long runNanos) { sink += runNanos; }
            });
        }
        s = b.build();
    }
    @Override public void accept(Runnable r) { s.spawn(r); }
    @Override public void close() { s.close(); }
}
