package io.aiojobs.spring.web;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import io.aiojobs.JobListener.Outcome;
import io.aiojobs.spring.web.TestControllers.DisconnectController;
import io.aiojobs.spring.web.TestControllers.Work;
import io.aiojobs.spring.web.WebTestApplication.AsyncErrors;
import io.aiojobs.spring.web.WebTestApplication.Outcomes;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A raw socket client that goes away in the middle of a request. A bare close goes unnoticed by
 * the server (see SPRING-NOTES), so the test then makes the server write to the response until
 * the write fails: the container reports the error to MVC, which cancels a plain
 * {@code Callable} with an interrupt, and cannot reach an {@code @Atomic} one.
 */
@WebTest
class AtomicDisconnectTests {

    /** How often a disconnect is tried before the test gives up; see disconnectUntilReported. */
    private static final int MAX_ATTEMPTS = 3;

    /** How long one attempt waits for the container to report the disconnect. */
    private static final long ATTEMPT_SECONDS = 5;

    @LocalServerPort
    int port;

    @Autowired
    AsyncErrors asyncErrors;

    @Autowired
    Outcomes outcomes;

    @Test
    void clientDisconnectInterruptsAPlainCallable() throws Exception {
        Work work = disconnectUntilReported("/disconnect/plain/").work();

        assertThat(work.interrupted.await(10, SECONDS)).isTrue();
        assertThat(work.completed.getCount()).isEqualTo(1);
    }

    @Test
    void clientDisconnectDoesNotCancelAnAtomicCallableWhichCompletesAsASuccessfulJob() throws Exception {
        Reported reported = disconnectUntilReported("/disconnect/atomic/");
        Work work = reported.work();
        work.release.countDown();

        assertThat(work.completed.await(10, SECONDS)).isTrue();
        assertThat(work.interrupted.getCount()).isEqualTo(1);
        assertThat(this.outcomes.awaitOutcome("GET " + reported.path())).isEqualTo(Outcome.SUCCESS);
    }

    /** A disconnect that the container reported to MVC: the request's path and its work. */
    private record Reported(String path, Work work) {
    }

    private Reported disconnectUntilReported(String prefix) throws Exception {
        for (int attempt = 1; ; attempt++) {
            String path = prefix + attempt;
            Work work = DisconnectController.work = new Work();
            requestThenDisconnect(path, work);
            if (this.asyncErrors.failed(path).await(ATTEMPT_SECONDS, SECONDS)) {
                return new Reported(path, work);
            }
            // Now and then Tomcat's poller sees the reset first and recycles the request
            // ("Encountered a non-recycled request and recycled it forcedly") without telling the
            // application: no error reaches MVC, so there is nothing to observe. Let that
            // attempt's work end and try again on a fresh path; three silent attempts in a row
            // would mean the container no longer reports disconnects at all.
            work.release.countDown();
            assertThat(attempt).as("attempts in which the container did not report the disconnect")
                    .isLessThan(MAX_ATTEMPTS);
        }
    }

    private void requestThenDisconnect(String path, Work work) throws Exception {
        try (Socket socket = new Socket("localhost", this.port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            String line;
            do {
                line = in.readLine();
            } while (line != null && !line.equals("started"));
            assertThat(line).isEqualTo("started");
            assertThat(work.started.await(10, SECONDS)).isTrue();
            // Only once MVC has gone async may the client go: an earlier error makes startAsync fail.
            assertThat(this.asyncErrors.started(path).await(10, SECONDS)).isTrue();
            // Reset rather than a polite close, so the server's next write fails at once.
            socket.setSoLinger(true, 0);
        }
        assertThat(writeUntilItFails(DisconnectController.response)).isTrue();
    }

    /** Makes the server write after the client has gone, until it notices. */
    private static boolean writeUntilItFails(HttpServletResponse response) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        byte[] chunk = new byte[1024];
        while (System.nanoTime() < deadline) {
            try {
                response.getOutputStream().write(chunk);
                response.flushBuffer();
            } catch (IOException | IllegalStateException noticed) {
                return true;
            }
        }
        return false;
    }
}
