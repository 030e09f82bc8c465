package io.aiojobs.sample.ping;

import io.aiojobs.spring.web.Atomic;
import java.util.concurrent.ExecutionException;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Tiny endpoints for the HTTP benchmark ({@code benchmarks/}), all with the same fixed body:
 * plain, {@code @Atomic}, and the hand-rolled way to run a handler's body on another thread
 * (submit it to Spring Boot's {@code applicationTaskExecutor} and wait), so that the benchmark
 * can tell the cost of running a handler as a job from the cost of any thread hand-off. The
 * {@code /api/ping/wait} pair first waits {@value #WAIT_MILLIS} ms, as a handler waits for a
 * database: what {@code @Atomic} costs an endpoint that does some I/O, not nothing at all.
 */
@RestController
class PingController {

    /** The fixed response body. */
    static final String BODY = "pong";
    /** How long the {@code /api/ping/wait} endpoints wait before they answer. */
    static final long WAIT_MILLIS = 2;

    private final AsyncTaskExecutor executor;

    PingController(@Qualifier("applicationTaskExecutor") AsyncTaskExecutor executor) {
        this.executor = executor;
    }

    @GetMapping(path = "/api/ping", produces = MediaType.TEXT_PLAIN_VALUE)
    String ping() {
        return BODY;
    }

    @Atomic
    @GetMapping(path = "/api/ping/atomic", produces = MediaType.TEXT_PLAIN_VALUE)
    String atomicPing() {
        return BODY;
    }

    @GetMapping(path = "/api/ping/handoff", produces = MediaType.TEXT_PLAIN_VALUE)
    String handOffPing() throws InterruptedException, ExecutionException {
        return this.executor.submit(() -> BODY).get();
    }

    @GetMapping(path = "/api/ping/wait", produces = MediaType.TEXT_PLAIN_VALUE)
    String waitPing() throws InterruptedException {
        Thread.sleep(WAIT_MILLIS);
        return BODY;
    }

    @Atomic
    @GetMapping(path = "/api/ping/wait/atomic", produces = MediaType.TEXT_PLAIN_VALUE)
    String atomicWaitPing() throws InterruptedException {
        Thread.sleep(WAIT_MILLIS);
        return BODY;
    }
}
