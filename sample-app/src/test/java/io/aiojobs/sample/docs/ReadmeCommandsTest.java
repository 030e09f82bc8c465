package io.aiojobs.sample.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

/**
 * Replays the README's {@code curl} commands against the sample application, so that the
 * "try it" section keeps working: each must answer 2xx, or the status its trailing comment names
 * ({@code # 504 ...}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "aiojobs.scheduler.wait-timeout=100ms") // the README's burst need not finish
@DirtiesContext
class ReadmeCommandsTest {

    private static final Path README = Path.of(System.getProperty("basedir", "."))
            .toAbsolutePath().normalize().getParent().resolve("README.md");

    private static final Pattern SHELL_BLOCK = Pattern.compile("^```(?:sh|bash)\\n(.*?)^```$",
            Pattern.MULTILINE | Pattern.DOTALL);

    private static final Pattern TOKEN = Pattern.compile("'([^']*)'|(\\S+)");

    @LocalServerPort
    private int port;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void everyCurlCommandInTheReadmeAnswersAsDocumented() throws Exception {
        List<String> commands = curlCommands();
        assertThat(commands).as("curl commands in README.md").hasSizeGreaterThanOrEqualTo(3);
        for (String command : commands) {
            Curl curl = Curl.parse(command);
            HttpResponse<String> response = this.client.send(curl.request(this.port), HttpResponse.BodyHandlers.ofString());
            if (curl.expectedStatus() > 0) {
                assertThat(response.statusCode()).as(command).isEqualTo(curl.expectedStatus());
            }
            else {
                assertThat(response.statusCode()).as(command + " -> " + response.body()).isBetween(200, 299);
            }
        }
    }

    private static List<String> curlCommands() throws Exception {
        List<String> commands = new ArrayList<>();
        Matcher block = SHELL_BLOCK.matcher(Files.readString(README));
        while (block.find()) {
            String joined = block.group(1).replace("\\\n", " ");
            joined.lines().map(String::strip).filter(line -> line.startsWith("curl ")).forEach(commands::add);
        }
        return commands;
    }

    /** The few curl options the README uses: -s, -X, -H, -d and a URL without a scheme. */
    private record Curl(String method, String url, List<String> headers, String data, int expectedStatus) {

        static Curl parse(String command) {
            String comment = "";
            int hash = command.indexOf(" #");
            if (hash >= 0) {
                comment = command.substring(hash + 2).strip();
                command = command.substring(0, hash);
            }
            List<String> tokens = new ArrayList<>();
            Matcher token = TOKEN.matcher(command);
            while (token.find()) {
                tokens.add(token.group(1) != null ? token.group(1) : token.group(2));
            }
            String method = null;
            String url = null;
            String data = null;
            List<String> headers = new ArrayList<>();
            for (int i = 1; i < tokens.size(); i++) {
                switch (tokens.get(i)) {
                    case "-s" -> { }
                    case "-X" -> method = tokens.get(++i);
                    case "-H" -> headers.add(tokens.get(++i));
                    case "-d" -> data = tokens.get(++i);
                    default -> {
                        assertThat(tokens.get(i)).as("an option the test understands, in: " + command)
                                .doesNotStartWith("-");
                        url = tokens.get(i);
                    }
                }
            }
            assertThat(url).as("URL of " + command).startsWith("localhost:8080/");
            Matcher status = Pattern.compile("^(\\d{3})\\b").matcher(comment);
            return new Curl((method != null) ? method : (data != null) ? "POST" : "GET", url, headers, data,
                    status.find() ? Integer.parseInt(status.group(1)) : 0);
        }

        HttpRequest request(int port) {
            HttpRequest.Builder builder = HttpRequest.newBuilder(
                    URI.create("http://" + this.url.replace("localhost:8080", "localhost:" + port)))
                    .timeout(Duration.ofSeconds(30))
                    .method(this.method, (this.data != null) ? HttpRequest.BodyPublishers.ofString(this.data)
                            : HttpRequest.BodyPublishers.noBody());
            for (String header : this.headers) {
                int colon = header.indexOf(':');
                builder.header(header.substring(0, colon).strip(), header.substring(colon + 1).strip());
            }
            return builder.build();
        }
    }
}
