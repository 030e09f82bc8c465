package io.aiojobs.sample.ping;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

/** The benchmark's endpoints answer the same small fixed body. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
class PingApiTest {

    @Autowired
    private RestTestClient http;

    @ParameterizedTest
    @ValueSource(strings = {"/api/ping", "/api/ping/atomic", "/api/ping/handoff", "/api/ping/wait",
            "/api/ping/wait/atomic"})
    void answersPong(String path) {
        this.http.get().uri(path).exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_PLAIN)
                .expectBody(String.class).isEqualTo(PingController.BODY);
    }
}
