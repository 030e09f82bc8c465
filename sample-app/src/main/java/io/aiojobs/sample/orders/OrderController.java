package io.aiojobs.sample.orders;

import io.aiojobs.spring.web.AiojobsWeb;
import io.aiojobs.spring.web.Atomic;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The orders API: place an order ({@code @Atomic}), re-send its confirmation
 * ({@code AiojobsWeb.spawn}) and refund it ({@code AiojobsWeb.shield}).
 */
@RestController
@RequestMapping("/orders")
class OrderController {

    private final OrderRepository orders;

    private final PaymentGateway payments;

    private final ConfirmationNotifier notifier;

    private final Duration refundMaxWait;

    OrderController(OrderRepository orders, PaymentGateway payments, ConfirmationNotifier notifier,
            @Value("${sample.refund.max-wait:2s}") Duration refundMaxWait) {
        this.orders = orders;
        this.payments = payments;
        this.notifier = notifier;
        this.refundMaxWait = refundMaxWait;
    }

    // tag::atomic-order[]
    @Atomic // the whole method runs as a job: a client that hangs up cannot stop it half-way
    @PostMapping
    ResponseEntity<Order> place(@RequestBody NewOrder request) throws InterruptedException {
        checkValid(request);
        Order order = this.orders.insert(request.customer(), request.item(), request.quantity(),
                request.amountCents());
        this.payments.charge(order.customer(), order.amountCents()); // slow remote call
        this.orders.updateStatus(order.id(), "PAID");
        Order paid = this.orders.find(order.id()).orElseThrow();
        this.notifier.sendConfirmation(paid); // fire-and-forget job, the client does not wait
        return ResponseEntity.created(URI.create("/orders/" + paid.id())).body(paid);
    }
    // end::atomic-order[]

    @GetMapping("/{id}")
    Order find(@PathVariable long id) {
        return this.orders.find(id)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No order " + id));
    }

    @GetMapping
    List<Order> recent() {
        return this.orders.recent(50);
    }

    // tag::web-spawn[]
    @PostMapping("/{id}/confirmation")
    ResponseEntity<Map<String, Object>> resendConfirmation(@PathVariable long id, HttpServletRequest request) {
        Order order = find(id);
        // Fire-and-forget through the request helper (aiohttp's aiojobs.aiohttp.spawn(request, coro)).
        AiojobsWeb.spawn(request, () -> this.notifier.send(order));
        return ResponseEntity.accepted().body(Map.of("order", id, "confirmation", "queued"));
    }
    // end::web-spawn[]

    // tag::web-shield[]
    @PostMapping("/{id}/refund")
    ResponseEntity<Map<String, Object>> refund(@PathVariable long id, HttpServletRequest request)
            throws Exception {
        find(id);
        CompletableFuture<Order> refund = AiojobsWeb.shield(request, () -> {
            this.payments.refund(id);
            this.orders.updateStatus(id, "REFUNDED");
            return this.orders.find(id).orElseThrow();
        });
        try {
            Order refunded = refund.get(this.refundMaxWait.toMillis(), TimeUnit.MILLISECONDS);
            return ResponseEntity.ok(Map.of("order", refunded.id(), "status", refunded.status()));
        }
        catch (TimeoutException ex) {
            // We stop waiting; the refund does not stop (nor would it if this thread were interrupted).
            return ResponseEntity.accepted().body(Map.of("order", id, "status", "REFUND_IN_PROGRESS"));
        }
        catch (ExecutionException ex) {
            throw (ex.getCause() instanceof Exception cause) ? cause : ex;
        }
    }
    // end::web-shield[]

    private static void checkValid(NewOrder request) {
        String problem = request.problem();
        if (problem != null) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, problem);
        }
    }
}
