package io.aiojobs.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs every benchmark of issue #6 with short JMH settings on the running JDK and prints tables
 * of ratios against the baselines measured in the same run. Platform threads on Java 17,
 * virtual threads on Java 21 and later (override with {@code --threads=platform}).
 *
 * <p>Arguments: {@code --suites=spawn,roundtrip,spawners,deep,close,memory} (by default all),
 * {@code --threads=platform|virtual}, {@code --iterations=N} (measurement iterations, 5). Every figure is the median of its
 * iterations.
 */
public final class BenchMain {

    private static final int BATCH = 1000;
    /** The sample application's limit: how many @Atomic requests may run at once. */
    private static final int ROUND_TRIP_LIMIT = 10;

    private final boolean virtual;
    private final int iterations;

    private BenchMain(boolean virtual, int iterations) {
        this.virtual = virtual;
        this.iterations = iterations;
    }

    /**
     * Runs the chosen suites.
     *
     * @param args see the class comment
     * @throws Exception if a benchmark fails
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : args) {
            String[] pair = arg.replaceFirst("^--", "").split("=", 2);
            options.put(pair[0], pair.length > 1 ? pair[1] : "true");
        }
        boolean virtual = "virtual".equals(options.getOrDefault("threads",
                Runtime.version().feature() >= 21 ? "virtual" : "platform"));
        Set<String> suites = Set.of(options.getOrDefault("suites", "spawn,roundtrip,spawners,deep,close,memory")
                .split(","));
        BenchMain main = new BenchMain(virtual, Integer.parseInt(options.getOrDefault("iterations", "5")));
        System.out.println(machine());
        System.out.println("Threads: " + (virtual ? "virtual" : "platform")
                + ". Ratios are scheduler / baseline, of times measured in this run: "
                + "below 1 the scheduler is faster.");
        if (suites.contains("spawn")) {
            main.spawn();
        }
        if (suites.contains("roundtrip")) {
            main.roundTrip();
        }
        if (suites.contains("spawners")) {
            main.spawners();
        }
        if (suites.contains("deep")) {
            main.deepQueue();
        }
        if (suites.contains("close")) {
            main.close();
        }
        if (suites.contains("memory")) {
            main.memory();
        }
        System.out.println("\nLoad average at the end: " + loadAverage());
    }

    // ---- suites ----

    private void spawn() throws RunnerException {
        String[] kinds = Contender.kinds(this.virtual);
        System.out.printf("%n1. spawn -> run -> finish, batches of %d trivial jobs (µs per batch)%n", BATCH);
        List<String[]> rows = new ArrayList<>();
        for (int limit : new int[] {1, 16, 100, 0}) {
            Map<String, Double> scores = new LinkedHashMap<>();
            for (String kind : kinds) {
                scores.put(kind, score(base(SpawnBenchmark.class, "batch")
                        .param("kind", kind).param("limit", String.valueOf(limit))
                        .param("batch", String.valueOf(BATCH))));
            }
            rows.add(ratioRow(limit == 0 ? "unlimited" : String.valueOf(limit), scores, kinds));
        }
        printTable(ratioHeader("limit", kinds), rows);
    }

    /**
     * One job at a time, submitted and waited for: the hand-off to another thread and back that
     * an {@code @Atomic} request pays, against the same hand-off to a bare executor (what a
     * controller that submits its work and waits for it would pay).
     */
    private void roundTrip() throws RunnerException {
        String[] kinds = Contender.kinds(this.virtual);
        System.out.printf("%n1b. round trip: one trivial job submitted and awaited, limit %d (µs per job)%n",
                ROUND_TRIP_LIMIT);
        Map<String, Double> scores = new LinkedHashMap<>();
        for (String kind : kinds) {
            scores.put(kind, score(base(SpawnBenchmark.class, "batch")
                    .param("kind", kind).param("limit", String.valueOf(ROUND_TRIP_LIMIT))
                    .param("batch", "1")));
        }
        printTable(ratioHeader("limit", kinds),
                List.<String[]>of(ratioRow(String.valueOf(ROUND_TRIP_LIMIT), scores, kinds)));
    }

    private void spawners() throws RunnerException {
        String baseline = this.virtual ? Contender.VIRTUAL_SEMAPHORE : Contender.THREAD_POOL;
        System.out.printf("%n2. spawners contending for one executor, limit 16, batches of %d (jobs/s)%n",
                BATCH);
        List<String[]> rows = new ArrayList<>();
        Map<String, Double> single = new LinkedHashMap<>();
        for (int spawners : new int[] {1, 2, 8}) {
            Map<String, Double> rate = new LinkedHashMap<>();
            for (String kind : new String[] {Contender.SCHEDULER, baseline}) {
                double opsPerSecond = score(base(SpawnBenchmark.class, "batch")
                        .param("kind", kind).param("limit", "16").param("batch", String.valueOf(BATCH))
                        .threads(spawners).mode(Mode.Throughput).timeUnit(TimeUnit.SECONDS));
                rate.put(kind, opsPerSecond * BATCH);
                single.putIfAbsent(kind, opsPerSecond * BATCH);
            }
            double scheduler = rate.get(Contender.SCHEDULER);
            double other = rate.get(baseline);
            rows.add(new String[] {String.valueOf(spawners),
                String.format("%,.0f", scheduler), ratio(scheduler / single.get(Contender.SCHEDULER)),
                String.format("%,.0f", other), ratio(other / single.get(baseline)),
                ratio(other / scheduler)});
        }
        printTable(new String[] {"spawners", "scheduler jobs/s", "vs 1 spawner",
            baseline + " jobs/s", "vs 1 spawner", "time ratio sched/" + baseline}, rows);
    }

    private void deepQueue() throws RunnerException {
        String[] kinds = this.virtual
                ? new String[] {Contender.SCHEDULER, Contender.VIRTUAL_SEMAPHORE, Contender.SPRING_POOL}
                : new String[] {Contender.SCHEDULER, Contender.THREAD_POOL, Contender.SPRING_POOL};
        System.out.printf("%n3. 100 000 jobs queued behind 100 busy slots, then drained (ms)%n");
        Map<String, Double> scores = new LinkedHashMap<>();
        for (String kind : kinds) {
            scores.put(kind, score(base(DeepQueueBenchmark.class, "drain").param("kind", kind)));
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(ratioRow("100000", scores, kinds));
        printTable(ratioHeader("depth", kinds), rows);
    }

    private void close() throws RunnerException {
        System.out.printf("%n4. closing a scheduler holding N jobs, limit 100 (ms, single shot)%n");
        List<String[]> rows = new ArrayList<>();
        for (String method : new String[] {"close", "waitAndClose"}) {
            double[] scores = new double[2];
            int[] sizes = {10_000, 100_000};
            for (int i = 0; i < sizes.length; i++) {
                scores[i] = score(base(CloseBenchmark.class, method)
                        .param("jobs", String.valueOf(sizes[i]))
                        .mode(Mode.SingleShotTime).timeUnit(TimeUnit.MILLISECONDS)
                        .warmupIterations(5).measurementIterations(4 * this.iterations));
            }
            rows.add(new String[] {method, fmt(scores[0]), fmt(scores[1]),
                ratio(scores[1] / scores[0]) + " (linear: 10.00x)"});
        }
        printTable(new String[] {"method", "10 000 jobs", "100 000 jobs", "ratio 100k/10k"}, rows);
    }

    private void memory() throws IOException, InterruptedException {
        System.out.printf("%n5. heap retained per job, 100 000 jobs, after full GCs (bytes)%n");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-XX:+UseSerialGC", "-Xmx1g",
                "-cp", System.getProperty("java.class.path"), MemoryFootprint.class.getName())
                .redirectErrorStream(true).start();
        Map<String, String> values = new LinkedHashMap<>();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                String[] pair = line.split("=", 2);
                if (pair.length == 2 && pair[0].startsWith("memory.")) {
                    values.put(pair[0], pair[1]);
                } else {
                    System.out.println("  " + line);
                }
            }
        }
        if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException("MemoryFootprint failed");
        }
        printTable(new String[] {"what", "bytes per job", "target"}, List.of(
                new String[] {"pending job, beyond its task", values.get("memory.pendingBytesPerJob"), "< 300"},
                new String[] {"finished job, handle dropped", values.get("memory.finishedBytesPerJob"), "0"},
                new String[] {"all finished, scheduler closed (its threads gone)",
                    values.get("memory.closedBytesPerJob"), "0"},
                new String[] {"finished jobs still reachable (of 100 000)",
                    values.get("memory.finishedJobsStillReachable"), "0"},
                new String[] {"ThreadPoolExecutor queue, per task", values.get("memory.threadPoolQueueBytesPerTask"),
                    "(for scale)"}));
    }

    // ---- JMH ----

    private ChainedOptionsBuilder base(Class<?> benchmark, String method) {
        return new OptionsBuilder()
                .include("^" + benchmark.getName().replace(".", "\\.") + "\\." + method + "$")
                .param("threads", this.virtual ? "virtual" : "platform")
                .forks(1)
                .jvmArgsAppend(jvmArgs())
                .warmupIterations(3).warmupTime(TimeValue.milliseconds(500))
                .measurementIterations(this.iterations).measurementTime(TimeValue.seconds(1))
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT);
    }

    private static String[] jvmArgs() {
        // JMH 1.37 uses sun.misc.Unsafe, which Java 23+ warns about on every fork.
        return Runtime.version().feature() >= 23
                ? new String[] {"-Xms1g", "-Xmx2g", "--sun-misc-unsafe-memory-access=allow"}
                : new String[] {"-Xms1g", "-Xmx2g"};
    }

    /**
     * Runs one benchmark with one set of parameters, prints it as a progress line and returns the
     * median of its iterations: on a machine shared with other builds, a few iterations are hit
     * by a burst of someone else's work, and the median ignores them where the mean does not.
     */
    private static double score(ChainedOptionsBuilder options) throws RunnerException {
        RunResult result = new Runner(options.build()).runSingle();
        Result<?> primary = result.getPrimaryResult();
        double[] scores = result.getBenchmarkResults().stream()
                .flatMap(benchmark -> benchmark.getIterationResults().stream())
                .mapToDouble(iteration -> iteration.getPrimaryResult().getScore())
                .sorted().toArray();
        double median = scores.length % 2 == 1 ? scores[scores.length / 2]
                : (scores[scores.length / 2 - 1] + scores[scores.length / 2]) / 2;
        System.out.printf("  %-62s median %10s  (mean %s ± %s, min %s, max %s) %s%n", describe(result),
                fmt(median), fmt(primary.getScore()), fmt(primary.getScoreError()), fmt(scores[0]),
                fmt(scores[scores.length - 1]), primary.getScoreUnit());
        return median;
    }

    private static String describe(RunResult result) {
        var params = result.getParams();
        StringBuilder text = new StringBuilder(params.getBenchmark().replaceFirst(".*\\.(\\w+\\.\\w+)$", "$1"));
        for (String key : params.getParamsKeys()) {
            if (!"threads".equals(key)) {
                text.append(' ').append(key).append('=').append(params.getParam(key));
            }
        }
        if (params.getThreads() > 1) {
            text.append(" spawners=").append(params.getThreads());
        }
        return text.toString();
    }

    // ---- tables ----

    private static String[] ratioHeader(String first, String[] kinds) {
        List<String> header = new ArrayList<>(List.of(first, kinds[0] + " (abs)"));
        for (int i = 1; i < kinds.length; i++) {
            header.add("vs " + kinds[i]);
        }
        return header.toArray(String[]::new);
    }

    private static String[] ratioRow(String first, Map<String, Double> scores, String[] kinds) {
        List<String> row = new ArrayList<>(List.of(first, fmt(scores.get(kinds[0]))));
        for (int i = 1; i < kinds.length; i++) {
            row.add(ratio(scores.get(kinds[0]) / scores.get(kinds[i])));
        }
        return row.toArray(String[]::new);
    }

    private static void printTable(String[] header, List<String[]> rows) {
        int[] widths = new int[header.length];
        for (String[] row : concat(header, rows)) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], String.valueOf(row[i]).length());
            }
        }
        for (String[] row : concat(header, rows)) {
            StringBuilder line = new StringBuilder("| ");
            for (int i = 0; i < row.length; i++) {
                line.append(String.format("%-" + widths[i] + "s | ", row[i]));
            }
            System.out.println(line.toString().stripTrailing());
            if (row == header) {
                StringBuilder rule = new StringBuilder("|");
                Arrays.stream(widths).forEach(w -> rule.append("-".repeat(w + 2)).append('|'));
                System.out.println(rule);
            }
        }
    }

    private static List<String[]> concat(String[] header, List<String[]> rows) {
        List<String[]> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        return all;
    }

    private static String ratio(double value) {
        return String.format("%.2fx", value);
    }

    private static String fmt(double value) {
        return value >= 100 ? String.format("%,.0f", value) : String.format("%.2f", value);
    }

    // ---- the machine ----

    private static String machine() {
        Runtime runtime = Runtime.getRuntime();
        long memory = -1;
        if (ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            memory = os.getTotalMemorySize();
        }
        return String.format("Machine: %s, %d cores, %.1f GiB RAM, load average %s; %s %s (%s)",
                cpuModel(), runtime.availableProcessors(), memory / (double) (1L << 30), loadAverage(),
                System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
                System.getProperty("java.vendor"));
    }

    private static String loadAverage() {
        return String.format("%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .findFirst().orElse("unknown CPU");
        } catch (IOException | RuntimeException e) {
            return "unknown CPU";
        }
    }
}
