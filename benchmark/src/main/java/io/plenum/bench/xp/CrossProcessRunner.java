package io.plenum.bench.xp;

import io.plenum.bench.JvmArgs;
import io.plenum.bench.NanoClock;
import io.plenum.bench.memory.ShmFiles;
import io.plenum.bench.report.Cell;
import io.plenum.bench.report.Row;
import io.plenum.bench.report.RowTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Parent side of the cross-process benchmarks: for each scenario, starts its worker JVMs
 * (the same java binary and class path as this one, with {@link JvmArgs#ALL}), waits for
 * them, checks the scenario's invariant and records two cells: aggregate ops/s and the
 * p50/p99 of one operation (of the median round, when there are several).
 */
public final class CrossProcessRunner {

    /**
     * How long each worker thread warms up (before the start barrier) and measures (after it),
     * and in how many rounds. Rounds run the scenarios in turn (A B A B …), so that a slow
     * spell of the machine hits every column; each cell is the round with the median rate.
     */
    public record Settings(Duration warmup, Duration measure, int rounds) {
        public static final Settings QUICK = new Settings(Duration.ofMillis(300), Duration.ofSeconds(1), 1);
        public static final Settings FULL = new Settings(Duration.ofSeconds(1), Duration.ofSeconds(3), 3);

        public String describe() {
            return rounds + (rounds == 1 ? " round" : " interleaved rounds (median kept)") + " of "
                    + warmup.toMillis() + " ms warm-up per worker, then " + measure.toMillis()
                    + " ms measured after a shared-memory start barrier; latency: 1 call in N timed with"
                    + " System.nanoTime(), N chosen per worker so that timing costs under "
                    + Math.round(NanoClock.MAX_OVERHEAD * 100) + "% of throughput";
        }
    }

    /** What one round of one scenario measured. */
    private record Outcome(Cell.Rate rate, Cell.Latency latency) {
    }

    /** Time for JVM start-up and the barrier, on top of warm-up and measurement. */
    private static final Duration SLACK = Duration.ofSeconds(90);

    private CrossProcessRunner() {
    }

    /** Runs every scenario, {@code settings.rounds()} times in turn, and records its cells in {@code table}. */
    public static void run(List<CrossProcessScenario> scenarios, Settings settings, RowTable table)
            throws IOException, InterruptedException {
        if (scenarios.isEmpty()) {
            return;
        }
        Map<CrossProcessScenario, List<Outcome>> outcomes = new LinkedHashMap<>();
        Path root = Files.createTempDirectory(ShmFiles.root(), "plenum-bench-");
        try {
            int n = 0;
            for (int round = 1; round <= settings.rounds(); round++) {
                for (CrossProcessScenario s : scenarios) {
                    System.out.printf("# cross-process round %d/%d: %s [%s] %d processes × %d threads%n",
                            round, settings.rounds(), s.row(), s.column(), s.processes(), s.threads());
                    Path dir = Files.createDirectory(root.resolve("run-" + n++));
                    outcomes.computeIfAbsent(s, k -> new ArrayList<>()).add(runOne(s, dir, settings));
                }
            }
        } finally {
            ShmFiles.deleteTree(root);
        }
        outcomes.forEach((s, rounds) -> {
            List<Outcome> sorted = new ArrayList<>(rounds);
            sorted.sort(Comparator.comparingDouble(o -> o.rate().opsPerSecond()));
            Outcome median = sorted.get(sorted.size() / 2);
            table.put(new Row.Key(s.row(), Cell.RATE_UNIT, s.rowProcesses(), s.rowThreads()), s.column(), median.rate());
            table.put(new Row.Key(s.row(), Cell.LATENCY_UNIT, s.rowProcesses(), s.rowThreads()), s.column(), median.latency());
        });
    }

    private static Outcome runOne(CrossProcessScenario s, Path dir, Settings settings)
            throws IOException, InterruptedException {
        s.setup(dir);
        Path barrier = StartBarrier.create(dir);
        List<Process> workers = new ArrayList<>();
        try {
            for (int w = 0; w < s.processes(); w++) {
                workers.add(new ProcessBuilder(command(s, dir, barrier, w, settings))
                        .redirectOutput(dir.resolve("worker-" + w + ".out").toFile())
                        .redirectError(ProcessBuilder.Redirect.INHERIT)
                        .start());
            }
            awaitAll(s, workers, settings.warmup().plus(settings.measure()).plus(SLACK));
        } finally {
            workers.forEach(Process::destroyForcibly);
        }

        List<WorkerReport> reports = new ArrayList<>();
        for (int w = 0; w < s.processes(); w++) {
            for (String line : Files.readAllLines(dir.resolve("worker-" + w + ".out"))) {
                WorkerReport.parse(line).ifPresent(reports::add);
            }
        }
        if (reports.size() != s.processes() * s.threads()) {
            throw new IllegalStateException(s.id() + ": expected " + s.processes() * s.threads()
                    + " worker reports, got " + reports.size());
        }
        return summarize(s, dir, reports);
    }

    private static List<String> command(CrossProcessScenario s, Path dir, Path barrier, int worker, Settings settings) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(JvmArgs.ALL);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(WorkerMain.class.getName());
        cmd.add(s.id());
        cmd.add(dir.toString());
        cmd.add(barrier.toString());
        cmd.add(Integer.toString(worker));
        cmd.add(Long.toString(settings.warmup().toMillis()));
        cmd.add(Long.toString(settings.measure().toMillis()));
        return cmd;
    }

    /** Waits for every worker to exit 0; on the first failure or at the deadline, fails (the caller kills the rest). */
    private static void awaitAll(CrossProcessScenario s, List<Process> workers, Duration limit)
            throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        for (boolean allDone = false; !allDone; ) {
            allDone = true;
            for (int w = 0; w < workers.size(); w++) {
                Process p = workers.get(w);
                if (p.isAlive()) {
                    allDone = false;
                } else if (p.exitValue() != 0) {
                    throw new IllegalStateException(s.id() + ": worker " + w + " exited with " + p.exitValue()
                            + " (its error is above)");
                }
            }
            if (!allDone) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException(s.id() + ": workers still running after " + limit);
                }
                workers.getFirst().waitFor(50, TimeUnit.MILLISECONDS);
            }
        }
    }

    private static Outcome summarize(CrossProcessScenario s, Path dir, List<WorkerReport> reports) throws IOException {
        double opsPerSecond = 0;
        long totalOps = 0;
        Histogram latency = new Histogram(3);
        int minEvery = Integer.MAX_VALUE;
        int maxEvery = 0;
        for (WorkerReport r : reports) {
            minEvery = Math.min(minEvery, r.sampleEvery());
            maxEvery = Math.max(maxEvery, r.sampleEvery());
            opsPerSecond += r.ops() * 1e9 / r.elapsedNs();
            totalOps += r.ops() + r.warmupOps();
            latency.add(r.histogram());
        }
        s.verify(dir, totalOps);
        Cell.Rate rate = new Cell.Rate(opsPerSecond);
        Cell.Latency lat = new Cell.Latency(latency.getValueAtPercentile(50), latency.getValueAtPercentile(99));
        System.out.printf(Locale.ROOT, "# %,.0f ops/s, p50 %d ns, p99 %d ns (1 call in %s timed);"
                        + " invariant holds over %,d ops%n", opsPerSecond, (long) lat.p50(), (long) lat.p99(),
                minEvery == maxEvery ? minEvery : minEvery + "–" + maxEvery, totalOps);
        return new Outcome(rate, lat);
    }
}
