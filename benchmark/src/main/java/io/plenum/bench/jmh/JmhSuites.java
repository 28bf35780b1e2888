package io.plenum.bench.jmh;

import io.plenum.bench.JvmArgs;
import io.plenum.bench.report.Cell;
import io.plenum.bench.report.Row;
import io.plenum.bench.report.RowTable;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the planned JMH benchmarks in one JMH run and turns each result into a cell.
 *
 * <p>{@code Mode.Throughput} gives an ops/s cell; {@code Mode.SampleTime} gives an ns
 * cell with p50 and p99. Single-process by construction: processes = 1, threads as JMH ran.
 */
public final class JmhSuites {

    /** Iterations: quick is a smoke pass that only proves each benchmark runs and measures. */
    public record Settings(int forks, int warmups, TimeValue warmupTime, int measurements, TimeValue measurementTime) {
        public static final Settings QUICK =
                new Settings(1, 1, TimeValue.milliseconds(300), 2, TimeValue.milliseconds(300));
        public static final Settings FULL =
                new Settings(1, 3, TimeValue.seconds(1), 5, TimeValue.seconds(1));

        /** These settings with {@code forks} JMH forks per benchmark. */
        public Settings withForks(int forks) {
            return new Settings(forks, warmups, warmupTime, measurements, measurementTime);
        }

        public String describe() {
            return forks + (forks == 1 ? " fork, " : " forks, ") + warmups + "×" + warmupTime + " warmup, "
                    + measurements + "×" + measurementTime + " measurement";
        }
    }

    private JmhSuites() {
    }

    /**
     * Runs {@code planned} and records every result in {@code table}; fails if any benchmark fails.
     * Options given to the runner replace a suite's own {@code @Fork(jvmArgsAppend)}, so the suites
     * are run in groups by those flags, each fork getting {@link JvmArgs#ALL} and then its suite's
     * own (Chronicle Map's {@code --add-opens}, for example).
     */
    public static void run(List<JmhRows.Planned> planned, Settings settings, RowTable table) throws RunnerException {
        if (planned.isEmpty()) {
            return;
        }
        Map<List<String>, List<JmhRows.Planned>> byFlags = new java.util.LinkedHashMap<>();
        for (JmhRows.Planned p : planned) {
            byFlags.computeIfAbsent(forkFlags(p.suite()), k -> new java.util.ArrayList<>()).add(p);
        }
        List<RunResult> results = new java.util.ArrayList<>();
        for (Map.Entry<List<String>, List<JmhRows.Planned>> group : byFlags.entrySet()) {
            ChainedOptionsBuilder options = new OptionsBuilder()
                    .forks(settings.forks())
                    .warmupIterations(settings.warmups())
                    .warmupTime(settings.warmupTime())
                    .measurementIterations(settings.measurements())
                    .measurementTime(settings.measurementTime())
                    .jvmArgsAppend(group.getKey().toArray(String[]::new))
                    .shouldFailOnError(true);
            for (JmhRows.Planned p : group.getValue()) {
                options.include("^" + Pattern.quote(p.jmhName()) + "$");
            }
            results.addAll(new Runner(options.build()).run());
        }

        Map<String, JmhRows.Planned> byName =
                planned.stream().collect(Collectors.toMap(JmhRows.Planned::jmhName, Function.identity()));
        for (RunResult result : results) {
            BenchmarkParams params = result.getParams();
            JmhRows.Planned p = byName.get(params.getBenchmark());
            if (p == null) {
                throw new IllegalStateException("JMH ran a benchmark that was not planned: " + params.getBenchmark());
            }
            Cell cell = cell(params, result.getPrimaryResult());
            table.put(new Row.Key(p.row() + paramSuffix(params), cell.unit(), 1, params.getThreads()), p.column(), cell);
        }
        for (JmhRows.Planned p : planned) {
            if (results.stream().noneMatch(r -> r.getParams().getBenchmark().equals(p.jmhName()))) {
                throw new IllegalStateException("JMH produced no result for " + p.jmhName());
            }
        }
    }

    /** {@link JvmArgs#ALL}, then the flags of the suite's {@code @Fork(jvmArgsAppend)} that it lacks. */
    private static List<String> forkFlags(Class<?> suite) {
        java.util.LinkedHashSet<String> flags = new java.util.LinkedHashSet<>(JvmArgs.ALL);
        org.openjdk.jmh.annotations.Fork fork = suite.getAnnotation(org.openjdk.jmh.annotations.Fork.class);
        if (fork != null) {
            flags.addAll(List.of(fork.jvmArgsAppend()));
        }
        return List.copyOf(flags);
    }

    private static Cell cell(BenchmarkParams params, Result<?> primary) {
        TimeUnit unit = params.getTimeUnit();
        double nanosPerUnit = unit.toNanos(1);
        return switch (params.getMode()) {
            case Throughput -> new Cell.Rate(primary.getScore() * 1e9 / nanosPerUnit,
                    primary.getScoreError() * 1e9 / nanosPerUnit);
            case SampleTime -> new Cell.Latency(
                    primary.getStatistics().getPercentile(50) * nanosPerUnit,
                    primary.getStatistics().getPercentile(99) * nanosPerUnit);
            default -> throw new IllegalStateException(params.getBenchmark() + ": mode " + params.getMode()
                    + " has no row convention; use Mode.Throughput (ops/s) or Mode.SampleTime (ns p50/p99)");
        };
    }

    private static String paramSuffix(BenchmarkParams params) {
        if (params.getParamsKeys().isEmpty()) {
            return "";
        }
        StringJoiner j = new StringJoiner(",", "[", "]");
        for (String key : params.getParamsKeys()) {
            j.add(key + "=" + params.getParam(key));
        }
        return j.toString();
    }
}
