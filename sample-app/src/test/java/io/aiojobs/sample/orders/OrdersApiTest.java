package io.aiojobs.sample.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aiojobs.JobScheduler;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * The orders API over real HTTP: placing, confirming, refunding and reporting.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "sample.payment.latency=300ms", "sample.notification.latency=10ms", "sample.refund.max-wait=50ms",
        "sample.report.timeout=1s" })
@AutoConfigureRestTestClient
class OrdersApiTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() {
    };

    @Autowired
    private RestTestClient http;

    @Autowired
    private OrderRepository orders;

    @Autowired
    private JobScheduler jobs;

    @Autowired
    private GatedPaymentGateway gateway;

    @Autowired
    private RequestThreads requestThreads;

    @Test
    void placingAnOrderChargesItAndSendsAConfirmationInTheBackground() {
        Order order = place(unique("ann"), "tea", 2, 350);

        assertThat(order.status()).isEqualTo("PAID");
        assertThat(order.amountCents()).isEqualTo(700);
        assertThat(this.http.get().uri("/orders/{id}", order.id()).exchange()
                .expectStatus().isOk().expectBody(Order.class).returnResult().getResponseBody())
                .isEqualTo(order);
        await().atMost(PATIENCE).until(() -> this.orders.countNotifications(order.id()) == 1);
    }

    @Test
    void anInvalidOrderIsABadRequest() {
        this.http.post().uri("/orders").contentType(MediaType.APPLICATION_JSON)
                .body(new NewOrder("bob", "tea", 0, 100))
                .exchange()
                .expectStatus().isBadRequest();
    }

    @Test
    void anOrderIsChargedEvenWhenTheRequestThreadIsInterruptedDuringThePayment() throws Exception {
        // Spring MVC interrupts a request's thread when the client goes away or the async request
        // times out. Here the test does it, while the payment call is in progress. @Atomic runs the
        // handler as a job on the scheduler's thread, so the charge and the status update complete
        // anyway. Without @Atomic the interrupted payment call throws and the order stays NEW.
        String customer = GatedPaymentGateway.GATED + UUID.randomUUID();
        CompletableFuture<Void> response = CompletableFuture.runAsync(() -> this.http.post().uri("/orders")
                .header(RequestThreads.HEADER, "yes")
                .contentType(MediaType.APPLICATION_JSON)
                .body(new NewOrder(customer, "coffee", 1, 400))
                .exchange());
        assertThat(this.gateway.charging.await(10, TimeUnit.SECONDS)).isTrue();

        this.requestThreads.last.get().interrupt();
        this.gateway.gate.countDown();

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(this.orders.recent(50))
                .filteredOn(o -> o.customer().equals(customer))
                .singleElement()
                .extracting(Order::status).isEqualTo("PAID"));
        response.get(10, TimeUnit.SECONDS);
    }

    @Test
    void resendingAConfirmationIsAcceptedAtOnceAndSentInTheBackground() {
        Order order = place(unique("cleo"), "cake", 1, 500);
        await().atMost(PATIENCE).until(() -> this.orders.countNotifications(order.id()) == 1);

        Map<String, Object> body = this.http.post().uri("/orders/{id}/confirmation", order.id()).exchange()
                .expectStatus().isAccepted().expectBody(MAP).returnResult().getResponseBody();

        assertThat(body).containsEntry("confirmation", "queued");
        await().atMost(PATIENCE).until(() -> this.orders.countNotifications(order.id()) == 2);
    }

    @Test
    void aRefundGoesOnAfterTheRequestStopsWaitingForIt() {
        Order order = place(unique("dan"), "scone", 3, 200);

        // The payment provider takes 300 ms; the endpoint waits 50 ms, answers 202 and lets go.
        Map<String, Object> body = this.http.post().uri("/orders/{id}/refund", order.id()).exchange()
                .expectStatus().isAccepted().expectBody(MAP).returnResult().getResponseBody();

        assertThat(body).containsEntry("status", "REFUND_IN_PROGRESS");
        await().atMost(PATIENCE).until(() -> this.orders.find(order.id()).orElseThrow().status().equals("REFUNDED"));
    }

    @Test
    void theSalesReportSumsPaidOrders() {
        String item = unique("muffin");
        place(unique("eve"), item, 2, 250);
        place(unique("fay"), item, 1, 250);

        Map<String, Object> report = this.http.get().uri("/reports/sales").exchange()
                .expectStatus().isOk().expectBody(MAP).returnResult().getResponseBody();

        assertThat(report.get("lines")).asInstanceOf(InstanceOfAssertFactories.LIST).contains(Map.of("item", item, "quantity", 3, "amountCents", 750));
    }

    @Test
    void aSalesReportThatTakesTooLongIsCancelledAndAnswers504() {
        Map<String, Object> body = this.http.get().uri("/reports/sales?slowMs=60000").exchange()
                .expectStatus().isEqualTo(504).expectBody(MAP).returnResult().getResponseBody();

        assertThat(body.get("error")).asString().contains("took longer than PT1S and was cancelled");
        // await(timeout) closed the job: it is no longer in the scheduler, not left sleeping.
        assertThat(this.jobs).noneMatch(job -> job.getName().equals("sales-report"));
    }

    private Order place(String customer, String item, int quantity, long unitPriceCents) {
        return this.http.post().uri("/orders").contentType(MediaType.APPLICATION_JSON)
                .body(new NewOrder(customer, item, quantity, unitPriceCents))
                .exchange()
                .expectStatus().isCreated()
                .expectHeader().valueMatches("Location", "/orders/\\d+")
                .expectBody(Order.class).returnResult().getResponseBody();
    }

    private static String unique(String name) {
        return name + "-" + UUID.randomUUID();
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class InterruptionFixtures {

        @Bean
        RequestThreads requestThreads() {
            return new RequestThreads();
        }

        @Bean
        FilterRegistrationBean<Filter> requestThreadsFilter(RequestThreads threads) {
            return new FilterRegistrationBean<>(threads);
        }

        @Bean
        @Primary
        GatedPaymentGateway gatedPaymentGateway(@Value("${sample.payment.latency}") Duration latency) {
            return new GatedPaymentGateway(latency);
        }
    }

    /** Remembers the thread of the last request that carries {@link #HEADER}. */
    static final class RequestThreads implements Filter {

        static final String HEADER = "X-Test-Remember-Thread";

        final AtomicReference<Thread> last = new AtomicReference<>();

        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            if (((HttpServletRequest) request).getHeader(HEADER) != null) {
                this.last.set(Thread.currentThread());
            }
            try {
                chain.doFilter(request, response);
            }
            finally {
                Thread.interrupted(); // do not leak the test's interrupt to the container's next request
            }
        }
    }

    /** A payment provider that, for "gated-" customers, holds the call until the test opens the gate. */
    static final class GatedPaymentGateway extends PaymentGateway {

        static final String GATED = "gated-";

        final CountDownLatch charging = new CountDownLatch(1);

        final CountDownLatch gate = new CountDownLatch(1);

        GatedPaymentGateway(Duration latency) {
            super(latency);
        }

        @Override
        public String charge(String customer, long amountCents) throws InterruptedException {
            if (customer.startsWith(GATED)) {
                this.charging.countDown();
                // Blocks like a network call, and like one gives up when its thread is interrupted.
                assertThat(this.gate.await(10, TimeUnit.SECONDS)).isTrue();
            }
            return super.charge(customer, amountCents);
        }
    }
}
