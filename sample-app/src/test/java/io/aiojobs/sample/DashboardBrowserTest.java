package io.aiojobs.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

/**
 * Loads the dashboard in a real headless Chromium, spawns demo jobs with its form and watches
 * its numbers follow the scheduler: the limit caps the active jobs, the rest wait as pending,
 * cancelling and finishing show up as outcomes.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "aiojobs.scheduler.limit=3", "aiojobs.scheduler.pending-limit=100" })
@DirtiesContext
class DashboardBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @LocalServerPort
    private int port;

    @TempDir
    private Path profile;

    private ChromeDriver browser;

    private WebDriverWait wait;

    @BeforeEach
    void openDashboard() throws Exception {
        // Per test rather than @BeforeAll, so that Surefire counts the tests as skipped.
        Chromium.assumeInstalled();
        this.browser = Chromium.start(this.profile);
        this.wait = new WebDriverWait(this.browser, WAIT);
        this.browser.get("http://localhost:" + this.port + "/");
        // The first poll has filled in the settings read from /actuator/jobs.
        this.wait.until(ExpectedConditions.textToBe(By.id("limit"), "3"));
    }

    @AfterEach
    void closeBrowser() {
        if (this.browser != null) {
            this.browser.quit();
        }
    }

    @Test
    void burstFillsTheLimitQueuesTheRestAndCancellingShowsAsOutcomes() {
        assertThat(text("active")).isEqualTo("0");
        assertThat(text("pending")).isEqualTo("0");
        long spawned = number("spawned");
        long cancelled = number("cancelled");
        assertThat(text("pending-limit")).isEqualTo("100");

        // Jobs that outlast the test: the limit of 3 runs, 5 wait.
        burst(8, 600_000, 0);
        this.wait.until(ExpectedConditions.textToBe(By.id("active"), "3"));
        this.wait.until(ExpectedConditions.textToBe(By.id("pending"), "5"));
        this.wait.until(ExpectedConditions.textToBe(By.id("spawned"), plus(spawned, 8)));
        this.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("jobs-table"), "demo-"));
        assertThat(text("status-message")).isEqualTo("Spawned 8 job(s).");

        this.browser.findElement(By.id("cancel-button")).click();
        this.wait.until(ExpectedConditions.textToBe(By.id("cancelled"), plus(cancelled, 8)));
        this.wait.until(ExpectedConditions.textToBe(By.id("active"), "0"));
        this.wait.until(ExpectedConditions.textToBe(By.id("pending"), "0"));
        assertThat(text("status-message")).isEqualTo("Cancelled 8 demo job(s).");
    }

    @Test
    void finishedAndFailingJobsShowAsOutcomes() {
        long succeeded = number("succeeded");
        long failed = number("failed");
        burst(4, 0, 0);
        this.wait.until(ExpectedConditions.textToBe(By.id("succeeded"), plus(succeeded, 4)));

        burst(2, 0, 100);
        this.wait.until(ExpectedConditions.textToBe(By.id("failed"), plus(failed, 2)));
        this.wait.until(ExpectedConditions.textToBe(By.id("active"), "0"));
        assertThat(this.browser.findElement(By.id("error")).getText()).isEmpty();
    }

    private void burst(int count, long durationMs, int failPercent) {
        type("burst-count", count);
        type("burst-duration", durationMs);
        type("burst-fail", failPercent);
        this.browser.findElement(By.id("burst-button")).click();
        this.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status-message"), "Spawned"));
    }

    private void type(String id, long value) {
        WebElement input = this.browser.findElement(By.id(id));
        input.clear();
        input.sendKeys(Long.toString(value));
    }

    // Both tests share one application, so counters are checked relative to where they started.
    private long number(String id) {
        return Long.parseLong(text(id));
    }

    private static String plus(long start, long increment) {
        return Long.toString(start + increment);
    }

    private String text(String id) {
        return this.browser.findElement(By.id(id)).getText();
    }
}
