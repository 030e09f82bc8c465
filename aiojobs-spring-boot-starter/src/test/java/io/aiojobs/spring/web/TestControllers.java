package io.aiojobs.spring.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.aiojobs.Job;
import io.micrometer.observation.ObservationRegistry;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;

import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.context.request.async.WebAsyncTask;

/** Controllers made for the web tests. */
final class TestControllers {

    private TestControllers() {
    }

    /** Work that waits to be released and says whether it was interrupted or completed. */
    static final class Work {

        final CountDownLatch started = new CountDownLatch(1);

        final CountDownLatch release = new CountDownLatch(1);

        final CountDownLatch interrupted = new CountDownLatch(1);

        final CountDownLatch completed = new CountDownLatch(1);

        volatile String thread;

        String run() throws InterruptedException {
            this.thread = Thread.currentThread().getName();
            this.started.countDown();
            try {
                if (!this.release.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("never released");
                }
            } catch (InterruptedException ex) {
                this.interrupted.countDown();
                throw ex;
            }
            this.completed.countDown();
            return "done";
        }

        CompletableFuture<String> runOnNewThread() {
            CompletableFuture<String> future = new CompletableFuture<>();
            Thread thread = new Thread(() -> {
                try {
                    future.complete(run());
                } catch (Exception ex) {
                    future.completeExceptionally(ex);
                }
            }, "work");
            thread.start();
            return future;
        }
    }

    static final class TeapotException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        TeapotException() {
            super("I'm a teapot");
        }
    }

    @RestController
    @RequestMapping("/sync")
    static class SyncController {

        static final AtomicReference<TeapotException> THROWN = new AtomicReference<>();

        static volatile String thread;

        @Atomic
        @GetMapping("/value")
        ResponseEntity<String> value() {
            thread = Thread.currentThread().getName();
            return ResponseEntity.status(HttpStatus.CREATED).header("X-Made", "here").body("value");
        }

        @Atomic
        @GetMapping("/fail")
        String fail() {
            TeapotException ex = new TeapotException();
            THROWN.set(ex);
            throw ex;
        }

        @Atomic
        @GetMapping("/fail-later")
        Callable<String> failLater() {
            return () -> {
                TeapotException ex = new TeapotException();
                THROWN.set(ex);
                throw ex;
            };
        }

        @ExceptionHandler(TeapotException.class)
        ResponseEntity<String> teapot(TeapotException ex) {
            return ResponseEntity.status(HttpStatus.I_AM_A_TEAPOT)
                    .body(ex == THROWN.get() ? "same exception" : "another exception");
        }
    }

    @Atomic
    @RestController
    @RequestMapping("/class")
    static class AtomicClassController {

        @GetMapping("/a")
        String a() {
            return Thread.currentThread().getName();
        }

        @GetMapping("/b")
        ResponseEntity<String> b() {
            return ResponseEntity.accepted().body(Thread.currentThread().getName());
        }
    }

    @RestController
    @RequestMapping("/timeout")
    static class TimeoutController {

        static volatile Work work = new Work();

        @GetMapping("/callable/plain")
        Callable<String> plainCallable() {
            Work w = work;
            return w::run;
        }

        @Atomic
        @GetMapping("/callable/atomic")
        Callable<String> atomicCallable() {
            Work w = work;
            return w::run;
        }

        @Atomic
        @GetMapping("/task/atomic")
        WebAsyncTask<String> atomicTask() {
            Work w = work;
            WebAsyncTask<String> task = new WebAsyncTask<>(w::run);
            task.onTimeout(() -> "task timed out");
            return task;
        }

        @GetMapping("/future/plain")
        CompletableFuture<String> plainFuture() {
            return work.runOnNewThread();
        }

        @Atomic
        @GetMapping("/future/atomic")
        CompletableFuture<String> atomicFuture() {
            return work.runOnNewThread();
        }

        @Atomic
        @GetMapping({"/deferred/atomic", "/deferred/atomic-expiring"})
        DeferredResult<String> atomicDeferred() {
            DeferredResult<String> result = new DeferredResult<>();
            work.runOnNewThread().thenAccept(result::setResult);
            return result;
        }
    }

    /**
     * Callables that first write and flush a line, so that the test knows the handler has run
     * and can later make the server write again after the client has gone.
     */
    @RestController
    @RequestMapping("/disconnect")
    static class DisconnectController {

        static volatile Work work = new Work();

        static volatile HttpServletResponse response;

        // {attempt}: each attempt of a test has latches of its own (they are kept by path).
        @GetMapping("/plain/{attempt}")
        Callable<String> plain(HttpServletResponse response) throws IOException {
            return start(response);
        }

        @Atomic
        @GetMapping("/atomic/{attempt}")
        Callable<String> atomic(HttpServletResponse response) throws IOException {
            return start(response);
        }

        private static Callable<String> start(HttpServletResponse response) throws IOException {
            response.setContentType("text/plain");
            response.getOutputStream().write("started\n".getBytes(StandardCharsets.US_ASCII));
            response.flushBuffer();
            DisconnectController.response = response;
            Work w = work;
            return w::run;
        }
    }

    @RestController
    @RequestMapping("/context")
    static class ContextController {

        private final ObservationRegistry observations;

        ContextController(ObservationRegistry observations) {
            this.observations = observations;
        }

        @Atomic("singleThreadScheduler")
        @GetMapping("/seen")
        Map<String, Object> seen() {
            return ContextView.of(this.observations);
        }

        @Atomic("singleThreadScheduler")
        @GetMapping("/seen-async")
        Callable<Map<String, Object>> seenAsync() {
            Map<String, Object> whenCalled = ContextView.of(this.observations);
            return () -> {
                Map<String, Object> inCallable = ContextView.of(this.observations);
                inCallable.put("method", whenCalled);
                return inCallable;
            };
        }
    }

    /** What a piece of code sees of the request context, as a map. */
    static final class ContextView {

        private ContextView() {
        }

        static Map<String, Object> of(ObservationRegistry observations) {
            Map<String, Object> seen = new LinkedHashMap<>();
            seen.put("thread", Thread.currentThread().getName());
            RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
            seen.put("attribute", attributes == null ? null
                    : attributes.getAttribute("marker", RequestAttributes.SCOPE_REQUEST));
            seen.put("header", attributes instanceof ServletRequestAttributes servlet
                    ? servlet.getRequest().getHeader("X-Marker") : null);
            seen.put("locale", LocaleContextHolder.getLocaleContext() == null ? null
                    : String.valueOf(LocaleContextHolder.getLocaleContext().getLocale()));
            seen.put("mdc", MDC.get("marker"));
            Authentication user = SecurityContextHolder.getContext().getAuthentication();
            seen.put("user", user == null ? null : user.getName());
            seen.put("observation", observations.getCurrentObservation() == null ? null
                    : observations.getCurrentObservation().getContext().getName());
            return seen;
        }
    }

    @RestController
    @RequestMapping("/helper")
    static class HelperController {

        private final ObservationRegistry observations;

        final CountDownLatch release = new CountDownLatch(1);

        final CompletableFuture<Object> late = new CompletableFuture<>();

        HelperController(ObservationRegistry observations) {
            this.observations = observations;
        }

        @GetMapping("/spawn")
        Map<String, Object> spawn(HttpServletRequest request) throws Exception {
            Job<Map<String, Object>> job = AiojobsWeb.spawn(request, () -> ContextView.of(this.observations));
            return job.await();
        }

        @GetMapping("/shield")
        Map<String, Object> shield(HttpServletRequest request) throws Exception {
            return AiojobsWeb.shield(request, () -> ContextView.of(this.observations))
                    .get(10, TimeUnit.SECONDS);
        }

        /** Starts a job that reads its request after the response has gone. */
        @GetMapping("/late")
        String late(HttpServletRequest request) {
            AiojobsWeb.spawn(request, () -> {
                if (!this.release.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("never released");
                }
                try {
                    ServletRequestAttributes attributes =
                            (ServletRequestAttributes) RequestContextHolder.currentRequestAttributes();
                    this.late.complete(attributes.getRequest().getHeader("X-Marker"));
                } catch (RuntimeException ex) {
                    this.late.complete(ex);
                }
                return null;
            });
            return "started";
        }
    }

    @RestController
    @RequestMapping("/reject")
    static class RejectionController {

        @Atomic("tinyScheduler")
        @GetMapping("/busy")
        String busy() {
            return "ran";
        }

        @Atomic("closingScheduler")
        @GetMapping("/closed")
        String closed() {
            return "ran";
        }

        static volatile Work work = new Work();

        @Atomic("pendingScheduler")
        @GetMapping("/never-started")
        Callable<String> neverStarted() {
            return () -> "ran";
        }

        @Atomic("shutdownScheduler")
        @GetMapping("/cut-short")
        String cutShort() throws InterruptedException {
            return work.run();
        }
    }

    @RestController
    @RequestMapping("/own-reject")
    static class OwnRejectionController {

        @Atomic("closingScheduler")
        @GetMapping("/closed")
        String closed() {
            return "ran";
        }

        @ExceptionHandler(RejectedExecutionException.class)
        ResponseEntity<String> rejected(RejectedExecutionException ex) {
            return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).body("own handler");
        }
    }
}
