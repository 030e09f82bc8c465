package io.aiojobs.spring.web;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;

/** A test against {@link WebTestApplication} on a real server; one shared context. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@SpringBootTest(classes = WebTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"aiojobs.scheduler.thread-name-prefix=web-test-", "spring.mvc.async.request-timeout=300ms", "aiojobs.web.queue-timeout=200ms",
                "aiojobs.web.retry-after=7s", "spring.security.user.name=alice",
                "spring.security.user.password=secret",
                // The disconnect tests leave Tomcat with async requests it never completes (it logs
                // "Encountered a non-recycled request"); a graceful stop would wait for them.
                "server.shutdown=immediate"})
@interface WebTest {
}
