package io.aiojobs.sample.orders;

import java.time.Duration;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * A stand-in for a remote payment provider: each call takes a while, like a real one.
 *
 * <p>Charging and refunding are the kind of work that must not be abandoned half-way because the
 * HTTP client went away, which is why {@link OrderController} runs them inside {@code @Atomic}
 * and {@code shield}. This class is thread-safe.
 */
@Component
public class PaymentGateway {

    private final Duration latency;

    PaymentGateway(@Value("${sample.payment.latency:200ms}") Duration latency) {
        this.latency = latency;
    }

    /**
     * Charges a customer.
     *
     * @param customer who pays
     * @param amountCents how much, in cents
     * @return the payment's id
     * @throws InterruptedException if the calling thread is interrupted while the provider works
     */
    public String charge(String customer, long amountCents) throws InterruptedException {
        Thread.sleep(this.latency.toMillis());
        return "pay-" + UUID.randomUUID();
    }

    /**
     * Refunds an order in full.
     *
     * @param orderId the order
     * @throws InterruptedException if the calling thread is interrupted while the provider works
     */
    public void refund(long orderId) throws InterruptedException {
        Thread.sleep(this.latency.toMillis());
    }
}
