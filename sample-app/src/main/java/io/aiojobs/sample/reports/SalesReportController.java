package io.aiojobs.sample.reports;

import io.aiojobs.Job;
import io.aiojobs.JobScheduler;
import io.aiojobs.sample.orders.OrderRepository;
import io.aiojobs.sample.orders.OrderRepository.SalesLine;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /reports/sales}: builds the sales report as a job and awaits it with a timeout.
 *
 * <p>Running the report as a job puts it under the scheduler's limit (a burst of report requests
 * cannot take every database connection) and gives it a deadline: when the deadline passes,
 * {@code Job.await(timeout)} cancels the job, as aiojobs' {@code job.wait(timeout=...)} does, and
 * the client gets 504 instead of waiting forever.
 */
@RestController
class SalesReportController {

    private final JobScheduler jobs;

    private final OrderRepository orders;

    private final Duration timeout;

    SalesReportController(JobScheduler jobs, OrderRepository orders,
            @Value("${sample.report.timeout:2s}") Duration timeout) {
        this.jobs = jobs;
        this.orders = orders;
        this.timeout = timeout;
    }

    /**
     * Builds the report.
     *
     * @param slowMs extra milliseconds the report pretends to take, to try the timeout
     * @return the report, or 504 when it took longer than {@code sample.report.timeout}
     * @throws Exception if building the report failed
     */
    // tag::await-timeout[]
    @GetMapping("/reports/sales")
    ResponseEntity<?> sales(@RequestParam(defaultValue = "0") long slowMs) throws Exception {
        Job<SalesReport> job = this.jobs.spawn(() -> build(slowMs), "sales-report");
        try {
            return ResponseEntity.ok(job.await(this.timeout));
        }
        catch (TimeoutException ex) { // await has already cancelled (interrupted) the job
            return ResponseEntity.status(HttpStatus.GATEWAY_TIMEOUT)
                    .body(Map.of("error", "The report took longer than " + this.timeout + " and was cancelled"));
        }
    }
    // end::await-timeout[]

    private SalesReport build(long slowMs) throws InterruptedException {
        Thread.sleep(slowMs); // stands in for a heavy query
        List<SalesLine> lines = this.orders.salesByItem();
        long total = lines.stream().mapToLong(SalesLine::amountCents).sum();
        return new SalesReport(Instant.now(), lines, total);
    }

    /**
     * The sales report.
     *
     * @param generatedAt when it was built
     * @param lines one line per item
     * @param totalCents the sum of all lines, in cents
     */
    record SalesReport(Instant generatedAt, List<SalesLine> lines, long totalCents) {
    }
}
