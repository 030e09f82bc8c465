package io.aiojobs.sample.orders;

import io.aiojobs.Job;
import io.aiojobs.JobScheduler;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Sends order confirmations in the background, as fire-and-forget jobs on the injected
 * {@link JobScheduler}.
 *
 * <p>The caller does not wait: the scheduler limits how many confirmations go out at once, queues
 * the rest, logs any failure, and on shutdown lets the ones in flight finish. This class is
 * thread-safe.
 */
@Component
public class ConfirmationNotifier {

    private static final Logger logger = LoggerFactory.getLogger(ConfirmationNotifier.class);

    private final JobScheduler jobs;

    private final OrderRepository orders;

    private final Duration latency;

    ConfirmationNotifier(JobScheduler jobs, OrderRepository orders,
            @Value("${sample.notification.latency:100ms}") Duration latency) {
        this.jobs = jobs;
        this.orders = orders;
        this.latency = latency;
    }

    /**
     * Spawns a job that sends the confirmation of an order, and returns at once.
     *
     * @param order the paid order
     * @return the job, which callers usually ignore (tests await it)
     */
    public Job<String> sendConfirmation(Order order) {
        return this.jobs.spawn(() -> send(order), "confirm-order-" + order.id());
    }

    /**
     * Sends the confirmation of an order now, on the calling thread.
     *
     * @param order the paid order
     * @return the message sent
     * @throws InterruptedException if the calling thread is interrupted (the job was closed, or
     *     the application is shutting down past its grace period): nothing is recorded then
     */
    public String send(Order order) throws InterruptedException {
        // Stands in for a call to a mail or push service.
        Thread.sleep(this.latency.toMillis());
        String message = "Thank you %s, your order of %d x %s is confirmed."
                .formatted(order.customer(), order.quantity(), order.item());
        this.orders.insertNotification(order.id(), message);
        logger.debug("Sent confirmation for order {}", order.id());
        return message;
    }
}
