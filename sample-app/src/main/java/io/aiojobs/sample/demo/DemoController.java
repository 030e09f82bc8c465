package io.aiojobs.sample.demo;

import java.time.Duration;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The dashboard's buttons: {@code POST /demo/burst} and {@code POST /demo/cancel}. */
@RestController
class DemoController {

    private final DemoJobs demo;

    DemoController(DemoJobs demo) {
        this.demo = demo;
    }

    @PostMapping("/demo/burst")
    DemoJobs.Burst burst(@RequestParam(defaultValue = "50") int count,
            @RequestParam(defaultValue = "2000") long durationMs,
            @RequestParam(defaultValue = "0") int failPercent) {
        return this.demo.burst(count, Duration.ofMillis(durationMs), failPercent);
    }

    @PostMapping("/demo/cancel")
    Map<String, Integer> cancel() {
        return Map.of("cancelled", this.demo.cancelAll());
    }

    @ExceptionHandler(IllegalArgumentException.class)
    @ResponseStatus(HttpStatus.BAD_REQUEST)
    Map<String, String> badRequest(IllegalArgumentException ex) {
        return Map.of("error", ex.getMessage());
    }
}
