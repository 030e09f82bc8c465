package io.aiojobs.spring.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;

/** A small HTTP client for the tests: real sockets, bounded waits. */
final class Http {

    static final String ALICE = "Basic "
            + Base64.getEncoder().encodeToString("alice:secret".getBytes(StandardCharsets.UTF_8));

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10)).build();

    private Http() {
    }

    /** GETs {@code path}; {@code headers} are name, value pairs. */
    static HttpResponse<String> get(int port, String path, String... headers) throws Exception {
        return CLIENT.send(request(port, path, headers), HttpResponse.BodyHandlers.ofString());
    }

    /** GETs {@code path} without waiting for the answer. */
    static CompletableFuture<HttpResponse<String>> getAsync(int port, String path, String... headers) {
        return CLIENT.sendAsync(request(port, path, headers), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest request(int port, String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return request.build();
    }
}
