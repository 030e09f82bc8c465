package io.aiojobs.sample.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the documentation's code honest: every Java, YAML and XML snippet in {@code README.md},
 * {@code docs/porting.md}, {@code docs/configuration.md} and {@code docs/web.md} must appear
 * verbatim in a tagged region of this module's compiled and tested sources or resources, so the
 * documents and the code cannot drift apart.
 *
 * <p>How it works. In the Markdown, a code block (indented or not) is preceded by
 * {@code <!-- snippet: NAME -->}. In the code, the same text sits between {@code tag::NAME[]} and
 * {@code end::NAME[]} comments (any comment syntax: {@code //}, {@code #}, {@code <!-- -->}).
 * Indentation common to all lines is ignored on both sides; everything else must match. Regions
 * live in {@code src/main} (the sample's own code, exercised by its tests) or {@code src/test}
 * (examples that a test runs, see {@link ReadmeExamplesTest}, {@link ConfigurationDocExamplesTest}
 * and {@link WebDocExamplesTest}). The Maven dependency blocks are checked against the poms, and
 * the {@code mvn} commands against the modules they name.
 *
 * <p>The test fails when a Java, YAML or XML block has no marker, when a marker names no region,
 * when a block and its region differ, and when a region is used by no document.
 */
class ReadmeSnippetsTest {

    private static final Path MODULE = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();

    private static final Path ROOT = MODULE.getParent();

    private static final List<Path> DOCUMENTS = List.of(ROOT.resolve("README.md"), ROOT.resolve("docs/porting.md"),
            ROOT.resolve("docs/configuration.md"), ROOT.resolve("docs/web.md"));

    /** A fenced block, indented or not (in a list), with the snippet marker before it if any. */
    private static final Pattern BLOCK = Pattern.compile(
            "(?:^ *<!-- snippet: ([\\w-]+) -->\\n)?^( *)```(\\w*)\\n(.*?)^\\2```$", Pattern.MULTILINE | Pattern.DOTALL);

    private static final Pattern TAG = Pattern.compile("(?://|#|<!--)\\s*tag::([\\w-]+)\\[\\]");

    private static final Pattern END = Pattern.compile("(?://|#|<!--)\\s*end::([\\w-]+)\\[\\]");

    private static final Pattern CHECKED_LANGUAGES = Pattern.compile("java|ya?ml|xml");

    @Test
    void everyJavaYamlAndXmlBlockIsMarkedAsASnippet() {
        List<String> unmarked = new ArrayList<>();
        for (Snippet snippet : snippets()) {
            if (snippet.name() == null && CHECKED_LANGUAGES.matcher(snippet.language()).matches()) {
                unmarked.add(snippet.where() + ":\n" + snippet.code());
            }
        }
        assertThat(unmarked).as("code blocks without a <!-- snippet: NAME --> marker").isEmpty();
    }

    @Test
    void everySnippetIsVerbatimInATaggedRegionOfTheTestedCode() {
        Map<String, String> regions = regions();
        for (Snippet snippet : snippets()) {
            if (snippet.name() == null || snippet.name().equals("maven-dependency")) {
                continue;
            }
            assertThat(regions).as("a tag::%s[] region for the snippet in %s", snippet.name(), snippet.where())
                    .containsKey(snippet.name());
            assertThat(snippet.code()).as("snippet %s in %s (left) against its region in the code (right)",
                    snippet.name(), snippet.where()).isEqualTo(regions.get(snippet.name()));
        }
    }

    @Test
    void everyTaggedRegionIsShownInTheDocumentation() {
        TreeSet<String> shown = new TreeSet<>();
        snippets().stream().map(Snippet::name).filter(Objects::nonNull).forEach(shown::add);
        assertThat(shown).as("snippets in the documentation").containsAll(regions().keySet());
    }

    @Test
    void everyMavenDependencyNamesTheStarterAndTheProjectVersion() {
        String version = firstMatch(read(ROOT.resolve("pom.xml")), "<version>([^<]+)</version>");
        String starter = read(ROOT.resolve("aiojobs-spring-boot-starter/pom.xml"));
        List<Snippet> dependencies = snippets().stream().filter(s -> "maven-dependency".equals(s.name())).toList();

        assertThat(starter).contains("<artifactId>aiojobs-spring-boot-starter</artifactId>");
        assertThat(dependencies).as("<!-- snippet: maven-dependency --> blocks").isNotEmpty();
        for (Snippet dependency : dependencies) {
            assertThat(dependency.code()).as(dependency.where()).isEqualTo("""
                    <dependency>
                      <groupId>io.aiojobs</groupId>
                      <artifactId>aiojobs-spring-boot-starter</artifactId>
                      <version>%s</version>
                    </dependency>
                    """.formatted(version));
        }
    }

    @Test
    void theMavenCommandsNameModulesThatExist() {
        List<String> commands = snippets().stream()
                .filter(s -> s.language().equals("sh") || s.language().equals("bash"))
                .flatMap(s -> s.code().lines())
                .filter(line -> line.startsWith("mvn "))
                .toList();
        assertThat(commands).contains("mvn -B -pl sample-app -am spring-boot:run", "mvn -B verify");
        for (String command : commands) {
            Matcher module = Pattern.compile("-pl (\\S+)").matcher(command);
            while (module.find()) {
                assertThat(ROOT.resolve(module.group(1)).resolve("pom.xml")).as(command).isRegularFile();
            }
        }
    }

    // --- reading documents and code -------------------------------------------------------------

    private static List<Snippet> snippets() {
        List<Snippet> snippets = new ArrayList<>();
        for (Path document : DOCUMENTS) {
            String text = read(document);
            Matcher block = BLOCK.matcher(text);
            while (block.find()) {
                int line = (int) text.substring(0, block.start()).lines().count() + 1;
                snippets.add(new Snippet(block.group(1), block.group(3), outdent(block.group(4)),
                        ROOT.relativize(document) + ":" + line));
            }
        }
        return snippets;
    }

    /** Every tagged region in this module's sources and resources, by name. */
    private static Map<String, String> regions() {
        Map<String, String> regions = new LinkedHashMap<>();
        try (Stream<Path> files = Stream.of(MODULE.resolve("src/main"), MODULE.resolve("src/test"))
                .flatMap(ReadmeSnippetsTest::walk)) {
            files.filter(Files::isRegularFile).forEach(file -> collectRegions(file, regions));
        }
        return regions;
    }

    private static void collectRegions(Path file, Map<String, String> regions) {
        List<String> lines = read(file).lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            Matcher tag = TAG.matcher(lines.get(i));
            if (!tag.find()) {
                continue;
            }
            String name = tag.group(1);
            StringBuilder region = new StringBuilder();
            int j = i + 1;
            for (; j < lines.size() && !lines.get(j).contains("end::" + name + "[]"); j++) {
                if (!TAG.matcher(lines.get(j)).find() && !END.matcher(lines.get(j)).find()) {
                    region.append(lines.get(j)).append('\n');
                }
            }
            assertThat(j).as("end::%s[] after tag::%s[] in %s", name, name, file).isLessThan(lines.size());
            assertThat(regions).as("tag::%s[] is defined once", name).doesNotContainKey(name);
            regions.put(name, outdent(region.toString()));
        }
    }

    /** Removes the indentation common to all non-blank lines. */
    static String outdent(String code) {
        int indent = code.lines().filter(line -> !line.isBlank())
                .mapToInt(line -> line.length() - line.stripLeading().length()).min().orElse(0);
        StringBuilder out = new StringBuilder();
        code.lines().forEach(line -> out.append(line.isBlank() ? "" : line.substring(indent)).append('\n'));
        return out.toString();
    }

    private static Stream<Path> walk(Path dir) {
        try {
            return Files.isDirectory(dir) ? Files.walk(dir) : Stream.empty();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static String firstMatch(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        assertThat(matcher.find()).as(regex).isTrue();
        return matcher.group(1);
    }

    private record Snippet(String name, String language, String code, String where) {
    }
}
