package io.aiojobs.sample.ping;

import io.aiojobs.spring.web.Atomic;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Two tiny endpoints for the HTTP benchmark ({@code benchmarks/}): the same fixed body, once
 * plain and once {@code @Atomic}, so the difference is the cost of running a handler as a job.
 */
@RestController
class PingController {

    /** The fixed response body. */
    static final String BODY = "pong";

    @GetMapping(path = "/api/ping", produces = MediaType.TEXT_PLAIN_VALUE)
    String ping() {
        return BODY;
    }

    @Atomic
    @GetMapping(path = "/api/ping/atomic", produces = MediaType.TEXT_PLAIN_VALUE)
    String atomicPing() {
        return BODY;
    }
}
