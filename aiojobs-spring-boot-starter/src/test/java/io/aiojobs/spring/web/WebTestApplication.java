package io.aiojobs.spring.web;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.aiojobs.Job;
import io.aiojobs.JobListener;
import io.aiojobs.JobScheduler;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequestEvent;
import jakarta.servlet.ServletRequestListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.async.CallableProcessingInterceptor;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.config.annotation.AsyncSupportConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The application of the web tests: the starter's {@code jobScheduler} (threads {@code web-test-N},
 * see {@link WebTest}) plus schedulers for particular tests, which are no default candidates so
 * that the starter's scheduler does not back off; a permissive security chain with HTTP Basic;
 * and a filter that puts a marker into the request attributes and the MDC.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({TestControllers.SyncController.class, TestControllers.AtomicClassController.class,
        TestControllers.TimeoutController.class, TestControllers.ContextController.class,
        TestControllers.HelperController.class, TestControllers.RejectionController.class,
        TestControllers.OwnRejectionController.class, TestControllers.DisconnectController.class})
class WebTestApplication {

    static final String PROPERTIES = "spring.mvc.async.request-timeout=300ms";

    /** Job outcomes of every scheduler here, by job name. */
    @Bean
    Outcomes outcomes() {
        return new Outcomes();
    }

    /** One thread for every job, so that a job runs on the thread of the one before. */
    @Bean(destroyMethod = "close", defaultCandidate = false)
    JobScheduler singleThreadScheduler(Outcomes outcomes) {
        return JobScheduler.builder().name("single").limit(1).listener(outcomes)
                .executor(Executors.newSingleThreadExecutor(r -> {
                    Thread thread = new Thread(r, "single-thread");
                    thread.setDaemon(true);
                    return thread;
                })).build();
    }

    /** One job at a time and one waiting: easy to fill. */
    @Bean(destroyMethod = "close", defaultCandidate = false)
    JobScheduler tinyScheduler(Outcomes outcomes) {
        return JobScheduler.builder().name("tiny").limit(1).pendingLimit(1).listener(outcomes).build();
    }

    /** Closed by the tests that play a shutdown. */
    @Bean(destroyMethod = "close", defaultCandidate = false)
    JobScheduler closingScheduler() {
        return JobScheduler.builder().name("closing").build();
    }

    /** Records the async requests that the container reported as failed (a client gone). */
    @Bean
    AsyncErrors asyncErrors() {
        return new AsyncErrors();
    }

    @Bean
    CompletedRequests completedRequests() {
        return new CompletedRequests();
    }

    @Bean
    WebMvcConfigurer asyncErrorRecording(AsyncErrors errors) {
        return new WebMvcConfigurer() {
            @Override
            public void configureAsyncSupport(AsyncSupportConfigurer configurer) {
                configurer.registerCallableInterceptors(errors);
            }
        };
    }

    /** Closed while a job of a request runs. */
    @Bean(destroyMethod = "close", defaultCandidate = false)
    JobScheduler shutdownScheduler() {
        return JobScheduler.builder().name("shutdown").build();
    }

    /** One slot; closed while an async request's job waits in its queue. */
    @Bean(destroyMethod = "close", defaultCandidate = false)
    JobScheduler pendingScheduler(SpawnedJobs spawned) {
        return JobScheduler.builder().name("pending").limit(1).listener(spawned).build();
    }

    @Bean
    SpawnedJobs spawnedJobs() {
        return new SpawnedJobs();
    }

    @Bean
    SecurityFilterChain permitAll(HttpSecurity http) {
        return http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .httpBasic(Customizer.withDefaults())
                .csrf(csrf -> csrf.disable())
                .build();
    }

    @Bean
    OncePerRequestFilter markerFilter() {
        return new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
                    FilterChain chain) throws ServletException, IOException {
                String marker = request.getHeader("X-Marker");
                if (marker == null) {
                    chain.doFilter(request, response);
                    return;
                }
                request.setAttribute("marker", marker);
                MDC.put("marker", marker);
                try {
                    chain.doFilter(request, response);
                } finally {
                    MDC.remove("marker");
                }
            }
        };
    }

    /** Records, by path, async requests that have started, and those the container failed. */
    static final class AsyncErrors implements CallableProcessingInterceptor {

        private final Map<String, CountDownLatch> started = new ConcurrentHashMap<>();

        private final Map<String, CountDownLatch> failed = new ConcurrentHashMap<>();

        CountDownLatch started(String path) {
            return this.started.computeIfAbsent(path, key -> new CountDownLatch(1));
        }

        CountDownLatch failed(String path) {
            return this.failed.computeIfAbsent(path, key -> new CountDownLatch(1));
        }

        @Override
        public <T> void preProcess(NativeWebRequest request, Callable<T> task) {
            started(path(request)).countDown();
        }

        @Override
        public <T> Object handleError(NativeWebRequest request, Callable<T> task, Throwable t) {
            failed(path(request)).countDown();
            return RESULT_NONE;
        }

        private static String path(NativeWebRequest request) {
            return request.getNativeRequest(HttpServletRequest.class).getRequestURI();
        }
    }

    /** Counts down, by path, when the container is done with a request. */
    static final class CompletedRequests implements ServletRequestListener {

        private final Map<String, CountDownLatch> completed = new ConcurrentHashMap<>();

        CountDownLatch completed(String path) {
            return this.completed.computeIfAbsent(path, key -> new CountDownLatch(1));
        }

        @Override
        public void requestDestroyed(ServletRequestEvent event) {
            completed(((HttpServletRequest) event.getServletRequest()).getRequestURI()).countDown();
        }
    }

    /** Counts down, by job name, when a job is spawned. */
    static final class SpawnedJobs implements JobListener {

        private final Map<String, CountDownLatch> spawned = new ConcurrentHashMap<>();

        CountDownLatch spawned(String name) {
            return this.spawned.computeIfAbsent(name, key -> new CountDownLatch(1));
        }

        @Override
        public void onSpawned(Job<?> job) {
            spawned(job.getName()).countDown();
        }
    }

    /** Records how each job ended. */
    static final class Outcomes implements JobListener {

        record Ended(String name, Outcome outcome) {
        }

        private final List<Ended> ended = new ArrayList<>();

        @Override
        public synchronized void onFinished(Job<?> job, Outcome outcome, long runNanos) {
            this.ended.add(new Ended(job.getName(), outcome));
            notifyAll();
        }

        /** The outcome of the first job so named to end, waiting up to 10 seconds for it. */
        synchronized Outcome awaitOutcome(String name) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                for (Ended end : this.ended) {
                    if (end.name().equals(name)) {
                        return end.outcome();
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("No job named " + name + " ended; ended: " + this.ended);
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }

        synchronized void clear() {
            this.ended.clear();
        }
    }
}
