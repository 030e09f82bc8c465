package io.aiojobs.sample.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aiojobs.JobScheduler;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
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
    void anOrderIsChargedEvenWhenTheRequestThreadIsInterrupted() {
        // Spring MVC interrupts a request's worker when the client goes away or the async request
        // times out; InterruptingFilter does it on demand. @Atomic runs the handler as a job on the
        // scheduler, so the charge and the status update complete anyway. Without @Atomic the
        // interrupted payment call throws and the order stays NEW.
        String customer = unique("hangs-up");
        this.http.post().uri("/orders").header(InterruptingFilter.HEADER, "yes")
                .contentType(MediaType.APPLICATION_JSON)
                .body(new NewOrder(customer, "coffee", 1, 400))
                .exchange();

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(this.orders.recent(50))
                .filteredOn(o -> o.customer().equals(customer))
                .singleElement()
                .extracting(Order::status).isEqualTo("PAID"));
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

        assertThat(report.get("lines")).asList().contains(Map.of("item", item, "quantity", 3, "amountCents", 750));
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
    static class InterruptingFilter {

        static final String HEADER = "X-Test-Interrupt";

        @Bean
        Filter interruptingFilter() {
            return (request, response, chain) -> {
                boolean interrupt = ((HttpServletRequest) request).getHeader(HEADER) != null;
                if (interrupt) {
                    Thread.currentThread().interrupt();
                }
                try {
                    chain.doFilter(request, response);
                }
                finally {
                    if (interrupt) {
                        Thread.interrupted(); // do not leak the flag to the container's next request
                    }
                }
            };
        }
    }
}
