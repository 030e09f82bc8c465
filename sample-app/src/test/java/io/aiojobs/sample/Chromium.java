package io.aiojobs.sample;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.slf4j.LoggerFactory;

/**
 * Starts Debian's headless Chromium through its ChromeDriver, for browser tests.
 *
 * <p>Selenium is told exactly where both programs are, so Selenium Manager never tries to
 * download a browser or a driver (there may be no network). When they are missing the test is
 * skipped, with a message saying how to install them. {@code CHROMIUM} and {@code CHROMEDRIVER}
 * environment variables override the Debian paths.
 */
final class Chromium {

    private static final Path BROWSER = Path.of(env("CHROMIUM", "/usr/bin/chromium"));

    private static final Path DRIVER = Path.of(env("CHROMEDRIVER", "/usr/bin/chromedriver"));

    private Chromium() {
    }

    /**
     * Skips the calling test unless Chromium and ChromeDriver are installed.
     */
    static void assumeInstalled() {
        if (Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER)) {
            return;
        }
        String message = "Chromium or ChromeDriver not found at " + BROWSER + " and " + DRIVER
                + ": skipping the browser test. Install them with "
                + "`sudo apt-get install chromium chromium-driver` (Debian/Ubuntu), "
                + "or set CHROMIUM and CHROMEDRIVER to their paths.";
        // Surefire keeps assumption messages in its reports only: say it on the console too.
        LoggerFactory.getLogger(Chromium.class).warn(message);
        Assumptions.abort(message);
    }

    /**
     * Starts a headless browser with a fresh profile in {@code profile}.
     *
     * @param profile an empty directory for the browser's user data
     * @return the driver; quit it when done
     * @throws IOException if the profile directory cannot be created
     */
    static ChromeDriver start(Path profile) throws IOException {
        Files.createDirectories(profile);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1200,1000",
                "--user-data-dir=" + profile.toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER.toString()))
                .usingAnyFreePort()
                .withTimeout(Duration.ofSeconds(30))
                .build();
        return new ChromeDriver(service, options);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return (value == null || value.isBlank()) ? fallback : value;
    }
}
