package io.aiojobs.spring.web;

import java.net.http.HttpResponse;

import io.aiojobs.JobListener.Outcome;
import io.aiojobs.spring.web.TestControllers.SyncController;
import io.aiojobs.spring.web.WebTestApplication.Outcomes;
import org.junit.jupiter.api.Test;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/** What a caller of an {@code @Atomic} handler gets: the very value, status, or exception. */
@WebTest
class AtomicHandlerTests {

    @LocalServerPort
    int port;

    @Autowired
    Outcomes outcomes;

    @Autowired
    SyncController syncController;

    @Test
    void atomicControllerIsProxiedAndStillMapped() throws Exception {
        assertThat(AopUtils.isCglibProxy(this.syncController)).isTrue();
        assertThat(Http.get(this.port, "/sync/value").statusCode()).isEqualTo(201);
    }

    @Test
    void returnValueStatusAndHeadersAreThoseOfTheMethodRunAsAJob() throws Exception {
        HttpResponse<String> response = Http.get(this.port, "/sync/value");

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue("X-Made")).hasValue("here");
        assertThat(response.body()).isEqualTo("value");
        assertThat(SyncController.thread).startsWith("web-test-");
        assertThat(this.outcomes.awaitOutcome("GET /sync/value")).isEqualTo(Outcome.SUCCESS);
    }

    @Test
    void theVeryExceptionReachesTheExceptionHandler() throws Exception {
        HttpResponse<String> response = Http.get(this.port, "/sync/fail");

        assertThat(response.statusCode()).isEqualTo(418);
        assertThat(response.body()).isEqualTo("same exception");
        assertThat(this.outcomes.awaitOutcome("GET /sync/fail")).isEqualTo(Outcome.FAILURE);
    }

    @Test
    void theVeryExceptionOfAnAtomicCallableReachesTheExceptionHandler() throws Exception {
        HttpResponse<String> response = Http.get(this.port, "/sync/fail-later");

        assertThat(response.statusCode()).isEqualTo(418);
        assertThat(response.body()).isEqualTo("same exception");
    }

    @Test
    void atomicOnAClassCoversEachOfItsHandlers() throws Exception {
        HttpResponse<String> a = Http.get(this.port, "/class/a");
        HttpResponse<String> b = Http.get(this.port, "/class/b");

        assertThat(a.statusCode()).isEqualTo(200);
        assertThat(a.body()).startsWith("web-test-");
        assertThat(b.statusCode()).isEqualTo(202);
        assertThat(b.body()).startsWith("web-test-");
    }
}
