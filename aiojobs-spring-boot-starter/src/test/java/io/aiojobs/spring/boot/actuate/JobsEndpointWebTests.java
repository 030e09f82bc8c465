package io.aiojobs.spring.boot.actuate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.aiojobs.Job;
import io.aiojobs.JobScheduler;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/** The jobs endpoint and the health contributor over HTTP, on a real embedded server. */
@SpringBootTest(classes = JobsEndpointWebTests.TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "management.endpoints.web.exposure.include=jobs,health",
                "management.endpoint.health.show-components=always",
                "aiojobs.scheduler.limit=1" })
class JobsEndpointWebTests {

    @LocalServerPort
    private int port;

    @Autowired
    private JobScheduler scheduler;

    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void getActuatorJobsListsTheSchedulerAndItsCurrentJobs() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Job<Boolean> running = this.scheduler.spawn(() -> {
            started.countDown();
            return release.await(10, TimeUnit.SECONDS);
        }, "running-report");
        Job<String> waiting = this.scheduler.spawn(() -> "done", "waiting-report");
        try {
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            HttpResponse<String> response = get("/actuator/jobs");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("\"jobScheduler\"").contains("\"limit\":1")
                    .contains("\"activeCount\":1").contains("\"pendingCount\":1")
                    .contains("\"name\":\"running-report\"").contains("\"state\":\"active\"")
                    .contains("\"name\":\"waiting-report\"").contains("\"state\":\"pending\"")
                    .contains("\"age\":\"PT");
            assertThat(get("/actuator/jobs/jobScheduler").body()).contains("\"running-report\"");
            assertThat(get("/actuator/jobs/none").statusCode()).isEqualTo(404);
        } finally {
            release.countDown();
        }
        assertThat(running.await(Duration.ofSeconds(10))).isTrue();
        assertThat(waiting.await(Duration.ofSeconds(10))).isEqualTo("done");
    }

    @Test
    void healthShowsTheAiojobsComponentUp() throws Exception {
        HttpResponse<String> response = get("/actuator/health");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"aiojobs\":{\"status\":\"UP\"");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return this.client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration(excludeName = {
            "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration" })
    static class TestApplication {
    }
}
