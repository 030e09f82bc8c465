package io.aiojobs.sample.ping;

import org.junit.jupiter.api.Test;
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

    @Test
    void pingAnswersPong() {
        this.http.get().uri("/api/ping").exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_PLAIN)
                .expectBody(String.class).isEqualTo("pong");
    }

    @Test
    void atomicPingAnswersTheSameBody() {
        this.http.get().uri("/api/ping/atomic").exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_PLAIN)
                .expectBody(String.class).isEqualTo("pong");
    }

    @Test
    void handOffPingAnswersTheSameBody() {
        this.http.get().uri("/api/ping/handoff").exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_PLAIN)
                .expectBody(String.class).isEqualTo("pong");
    }
}
