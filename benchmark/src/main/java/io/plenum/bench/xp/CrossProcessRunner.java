package io.plenum.bench.xp;

import io.plenum.bench.JvmArgs;
import io.plenum.bench.memory.ShmFiles;
import io.plenum.bench.report.Cell;
import io.plenum.bench.report.Row;
import io.plenum.bench.report.RowTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Parent side of the cross-process benchmarks: for each scenario, starts its worker JVMs
 * (the same java binary and class path as this one, with {@link JvmArgs#ALL}), waits for
 * them, checks the scenario's invariant and records two cells: aggregate ops/s and the
 * p50/p99 of one operation.
 */
public final class CrossProcessRunner {

    /** How long each worker thread warms up (before the start barrier) and measures (after it). */
    public record Settings(Duration warmup, Duration measure) {
        public static final Settings QUICK = new Settings(Duration.ofMillis(300), Duration.ofSeconds(1));
        public static final Settings FULL = new Settings(Duration.ofSeconds(1), Duration.ofSeconds(5));

        public String describe() {
            return warmup.toMillis() + " ms warm-up per worker, then " + measure.toMillis()
                    + " ms measured after a shared-memory start barrier; latency = 1 call in "
                    + WorkerMain.SAMPLE_EVERY + " timed with System.nanoTime()";
        }
    }

    /** Time for JVM start-up and the barrier, on top of warm-up and measurement. */
    private static final Duration SLACK = Duration.ofSeconds(90);

    private CrossProcessRunner() {
    }

    /** Runs every scenario, one after the other, and records its cells in {@code table}. */
    public static void run(List<CrossProcessScenario> scenarios, Settings settings, RowTable table)
            throws IOException, InterruptedException {
        if (scenarios.isEmpty()) {
            return;
        }
        Path root = Files.createTempDirectory(ShmFiles.root(), "plenum-bench-");
        try {
            int n = 0;
            for (CrossProcessScenario scenario : scenarios) {
                Path dir = Files.createDirectory(root.resolve("scenario-" + n++));
                runOne(scenario, dir, settings, table);
            }
        } finally {
            ShmFiles.deleteTree(root);
        }
    }

    private static void runOne(CrossProcessScenario s, Path dir, Settings settings, RowTable table)
            throws IOException, InterruptedException {
        System.out.printf("# cross-process: %s [%s] %d processes × %d threads%n",
                s.row(), s.column(), s.processes(), s.threads());
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
        record(s, dir, reports, table);
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

    private static void record(CrossProcessScenario s, Path dir, List<WorkerReport> reports, RowTable table) throws IOException {
        double opsPerSecond = 0;
        long totalOps = 0;
        Histogram latency = new Histogram(3);
        for (WorkerReport r : reports) {
            opsPerSecond += r.ops() * 1e9 / r.elapsedNs();
            totalOps += r.ops() + r.warmupOps();
            latency.add(r.histogram());
        }
        s.verify(dir, totalOps);
        Cell.Rate rate = new Cell.Rate(opsPerSecond);
        Cell.Latency lat = new Cell.Latency(latency.getValueAtPercentile(50), latency.getValueAtPercentile(99));
        table.put(new Row.Key(s.row(), rate.unit(), s.processes(), s.threads()), s.column(), rate);
        table.put(new Row.Key(s.row(), lat.unit(), s.processes(), s.threads()), s.column(), lat);
        System.out.printf(Locale.ROOT, "# %,.0f ops/s, p50 %d ns, p99 %d ns; invariant holds over %,d ops%n",
                opsPerSecond, (long) lat.p50(), (long) lat.p99(), totalOps);
    }
}
