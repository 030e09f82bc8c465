package io.aiojobs.spring.web;

import java.net.http.HttpResponse;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;
import io.aiojobs.JobScheduler;
import io.aiojobs.spring.web.TestControllers.ContextView;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The request context inside an {@code @Atomic} job, and its absence in the next job on the
 * same thread (the scheduler used has a single thread).
 */
@WebTest
class AtomicContextTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    @Qualifier("singleThreadScheduler")
    JobScheduler singleThreadScheduler;

    @Autowired
    ObservationRegistry observations;

    @Test
    void jobSeesTheRequestContextAndTheNextJobOnItsThreadSeesNone() throws Exception {
        Map<String, Object> seen = seen("/context/seen", "m1");

        assertRequestContext(seen, "m1");
        Map<String, Object> next = this.singleThreadScheduler.spawn(() -> ContextView.of(this.observations)).await();
        assertNoContext(next);
    }

    @Test
    void asyncJobSeesTheRequestContextInTheMethodAndInItsCallable() throws Exception {
        Map<String, Object> seen = seen("/context/seen-async", "m2");

        assertRequestContext(seen, "m2");
        @SuppressWarnings("unchecked")
        Map<String, Object> inMethod = (Map<String, Object>) seen.get("method");
        assertRequestContext(inMethod, "m2");
        Map<String, Object> next = this.singleThreadScheduler.spawn(() -> ContextView.of(this.observations)).await();
        assertNoContext(next);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> seen(String path, String marker) throws Exception {
        HttpResponse<String> response = Http.get(this.port, path, "X-Marker", marker,
                "Accept-Language", "fr-FR", "Authorization", Http.ALICE);
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readValue(response.body(), Map.class);
    }

    private static void assertRequestContext(Map<String, Object> seen, String marker) {
        assertThat(seen).containsEntry("thread", "single-thread")
                .containsEntry("attribute", marker)
                .containsEntry("header", marker)
                .containsEntry("locale", "fr_FR")
                .containsEntry("mdc", marker)
                .containsEntry("user", "alice");
        assertThat(seen.get("observation")).isNotNull();
    }

    private static void assertNoContext(Map<String, Object> seen) {
        assertThat(seen).containsEntry("thread", "single-thread")
                .containsEntry("attribute", null)
                .containsEntry("header", null)
                .containsEntry("locale", null)
                .containsEntry("mdc", null)
                .containsEntry("user", null)
                .containsEntry("observation", null);
    }
}
