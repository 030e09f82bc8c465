package io.aiojobs.spring.web;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.aiojobs.spring.web.TestControllers.HelperController;
import io.aiojobs.spring.web.WebTestApplication.CompletedRequests;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link AiojobsWeb#spawn} and {@link AiojobsWeb#shield} from real requests. */
@WebTest
class AiojobsWebRequestTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    HelperController helper;

    @Autowired
    CompletedRequests completedRequests;

    @Test
    void spawnRunsAJobOnTheRequestsSchedulerWithTheRequestContext() throws Exception {
        Map<String, Object> seen = seen("/helper/spawn");

        assertThat(seen.get("thread")).asString().startsWith("web-test-");
        assertThat(seen).containsEntry("attribute", "h1").containsEntry("header", "h1")
                .containsEntry("mdc", "h1").containsEntry("user", "alice").containsEntry("locale", "fr_FR");
    }

    @Test
    void shieldRunsTheWorkWithTheRequestContext() throws Exception {
        Map<String, Object> seen = seen("/helper/shield");

        assertThat(seen).containsEntry("attribute", "h1").containsEntry("header", "h1")
                .containsEntry("mdc", "h1").containsEntry("user", "alice");
    }

    @Test
    void aJobThatOutlivesItsRequestCannotReadTheRecycledRequest() throws Exception {
        HttpResponse<String> response = Http.get(this.port, "/helper/late", "X-Marker", "late");
        assertThat(response.body()).isEqualTo("started");
        // The client may have the answer before the container is done with the request.
        assertThat(this.completedRequests.completed("/helper/late").await(10, TimeUnit.SECONDS)).isTrue();
        this.helper.release.countDown();

        Object read = this.helper.late.get(10, TimeUnit.SECONDS);
        assertThat(read).isInstanceOf(IllegalStateException.class);
        assertThat(((Exception) read).getMessage()).contains("request has completed");
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> seen(String path) throws Exception {
        HttpResponse<String> response = Http.get(this.port, path, "X-Marker", "h1",
                "Accept-Language", "fr-FR", "Authorization", Http.ALICE);
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readValue(response.body(), Map.class);
    }
}
