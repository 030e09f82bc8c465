package io.aiojobs.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.aiojobs.JobScheduler;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * The application as a newcomer starts it: {@code application.yml} configures the scheduler, the
 * dashboard and the actuator endpoints it polls are served.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
class SampleApplicationTest {

    @Autowired
    private RestTestClient http;

    @Autowired
    private JobScheduler jobs;

    @Test
    void applicationYmlConfiguresTheScheduler() {
        assertThat(this.jobs.limit()).isEqualTo(10);
        assertThat(this.jobs.pendingLimit()).isEqualTo(1000);
        assertThat(this.jobs.waitTimeout()).isEqualTo(Duration.ofSeconds(25));
        assertThat(this.jobs.closeTimeout()).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void theDashboardIsServedAtTheRoot() {
        this.http.get().uri("/").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).value(html -> assertThat(html).contains("live jobs", "dashboard.js"));
        this.http.get().uri("/dashboard.js").exchange().expectStatus().isOk();
    }

    @Test
    void theEndpointsTheDashboardPollsAreExposed() {
        this.http.get().uri("/actuator/jobs").exchange().expectStatus().isOk();
        this.http.get().uri("/actuator/metrics/aiojobs.jobs.active").exchange().expectStatus().isOk();
        this.http.get().uri("/actuator/health").exchange().expectStatus().isOk();
        this.http.get().uri("/actuator/prometheus").accept(MediaType.TEXT_PLAIN).exchange()
                .expectStatus().isOk()
                .expectBody(String.class).value(text -> assertThat(text).contains("aiojobs_jobs_active"));
    }
}
