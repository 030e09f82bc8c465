package io.aiojobs.spring.boot.autoconfigure;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/** The IDE metadata that the configuration processor generates from {@link AiojobsProperties}. */
class ConfigurationMetadataTests {

    @Test
    void everyAiojobsPropertyHasADescriptionAndTheDocumentedDefault() throws Exception {
        String json;
        try (InputStream in = new ClassPathResource("META-INF/spring-configuration-metadata.json").getInputStream()) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        // The starter's web part adds aiojobs.web.*: only this part's properties are checked here.
        List<Map<String, Object>> properties = JsonPath.read(json,
                "$.properties[?(@.name =~ /aiojobs\\.(enabled|scheduler\\..*)/)]");
        assertThat(properties).extracting(property -> property.get("name")).containsExactlyInAnyOrder(
                "aiojobs.enabled", "aiojobs.scheduler.limit", "aiojobs.scheduler.pending-limit",
                "aiojobs.scheduler.close-timeout", "aiojobs.scheduler.wait-timeout",
                "aiojobs.scheduler.thread-name-prefix", "aiojobs.scheduler.virtual-threads",
                "aiojobs.scheduler.capture-spawn-site");
        assertThat(properties).allSatisfy(property -> assertThat((String) property.get("description")).isNotBlank());
        assertThat(defaults(properties)).containsEntry("aiojobs.enabled", true)
                .containsEntry("aiojobs.scheduler.limit", 100)
                .containsEntry("aiojobs.scheduler.pending-limit", 10000)
                .containsEntry("aiojobs.scheduler.close-timeout", "100ms")
                .containsEntry("aiojobs.scheduler.wait-timeout", "60s")
                .containsEntry("aiojobs.scheduler.thread-name-prefix", "aiojobs-")
                .containsEntry("aiojobs.scheduler.capture-spawn-site", false);
    }

    private static Map<Object, Object> defaults(List<Map<String, Object>> properties) {
        Map<Object, Object> defaults = new java.util.HashMap<>();
        properties.stream().filter(property -> property.get("defaultValue") != null)
                .forEach(property -> defaults.put(property.get("name"), property.get("defaultValue")));
        return defaults;
    }
}
