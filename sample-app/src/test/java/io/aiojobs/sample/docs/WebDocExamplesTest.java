package io.aiojobs.sample.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.aiojobs.Job;
import io.aiojobs.JobScheduler;
import io.aiojobs.spring.boot.autoconfigure.AiojobsAutoConfiguration;
import io.aiojobs.spring.web.AiojobsWeb;
import io.aiojobs.spring.web.AiojobsWebAutoConfiguration;
import io.aiojobs.spring.web.Atomic;
import jakarta.servlet.http.HttpServletRequest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * Runs the examples shown in {@code docs/web.md}. The text between {@code tag::NAME[]} and
 * {@code end::NAME[]} is what the document shows, word for word ({@link ReadmeSnippetsTest}
 * checks that); the assertions check that it does what the document says.
 */
class WebDocExamplesTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AiojobsAutoConfiguration.class,
                    AiojobsWebAutoConfiguration.class));

    @Test
    void anAtomicHandlerRunsAsAJobAndAnswersWithWhatTheMethodReturns() {
        this.runner.withBean(Payments.class).withBean(PaymentController.class).run(context -> {
            ResponseEntity<Receipt> answer = context.getBean(PaymentController.class).pay(new Payment("ann", 350));

            assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.CREATED);
            assertThat(answer.getBody().customer()).isEqualTo("ann");
            assertThat(answer.getBody().chargedOn()).startsWith("aiojobs-"); // a job's thread
        });
    }

    @Test
    void anExtraSchedulerThatIsNoDefaultCandidateKeepsTheStartersOneAndCanBeNamed() {
        this.runner.withUserConfiguration(ReportsSchedulerConfiguration.class).withBean(NightlyReports.class)
                .run(context -> {
                    assertThat(context).getBeanNames(JobScheduler.class)
                            .containsExactlyInAnyOrder("jobScheduler", "reportsScheduler");
                    assertThat(context.getBean("reportsScheduler", JobScheduler.class).limit()).isEqualTo(4);
                    assertThat(context.getBean(NightlyReports.class).build()).startsWith("reports-");
                });
    }

    @Test
    void aHandlerSpawnsAJobOnTheRequestsScheduler() {
        this.runner.withBean(Reports.class).withBean(ReportController.class).run(context -> {
            MockHttpServletRequest request = new MockHttpServletRequest("POST", "/reports");
            request.setAttribute(DispatcherServlet.WEB_APPLICATION_CONTEXT_ATTRIBUTE, context);

            ResponseEntity<Void> answer = context.getBean(ReportController.class)
                    .report(request, new ReportQuery("2026-11"));

            assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
            Report built = context.getBean(Reports.class).built.get(10, TimeUnit.SECONDS);
            assertThat(built.month()).isEqualTo("2026-11");
            assertThat(built.builtOn()).startsWith("aiojobs-");
        });
    }

    // --- fixtures -------------------------------------------------------------------------------

    record Payment(String customer, long amountCents) {
    }

    record Receipt(String customer, long amountCents, String chargedOn) {
    }

    static class Payments {

        Receipt charge(Payment payment) {
            return new Receipt(payment.customer(), payment.amountCents(), Thread.currentThread().getName());
        }
    }

    // tag::atomic-payment[]
    @RestController
    static class PaymentController {

        private final Payments payments;

        PaymentController(Payments payments) {
            this.payments = payments;
        }

        @Atomic
        @PostMapping("/payments")
        ResponseEntity<Receipt> pay(@RequestBody Payment payment) {
            return ResponseEntity.status(HttpStatus.CREATED).body(this.payments.charge(payment));
        }
    }
    // end::atomic-payment[]

    @Configuration(proxyBeanMethods = false)
    static class ReportsSchedulerConfiguration {

        // tag::reports-scheduler[]
        @Bean(destroyMethod = "close", defaultCandidate = false)
        JobScheduler reportsScheduler() {
            return JobScheduler.builder().name("reports").limit(4).build();
        }
        // end::reports-scheduler[]
    }

    static class NightlyReports {

        @Atomic("reportsScheduler")
        String build() {
            return Thread.currentThread().getName();
        }
    }

    record ReportQuery(String month) {
    }

    record Report(String month, String builtOn) {
    }

    static class Reports {

        final CompletableFuture<Report> built = new CompletableFuture<>();

        Report build(ReportQuery query) {
            Report report = new Report(query.month(), Thread.currentThread().getName());
            this.built.complete(report);
            return report;
        }
    }

    @RestController
    static class ReportController {

        private final Reports reports;

        ReportController(Reports reports) {
            this.reports = reports;
        }

        // tag::web-spawn-report[]
        @PostMapping("/reports")
        ResponseEntity<Void> report(HttpServletRequest request, @RequestBody ReportQuery query) {
            Job<Report> job = AiojobsWeb.spawn(request, () -> this.reports.build(query));
            return ResponseEntity.accepted().build();
        }
        // end::web-spawn-report[]
    }
}
