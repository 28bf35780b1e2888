package io.plenum.bench.jmh;

import io.plenum.bench.JvmArgs;
import io.plenum.bench.report.Cell;
import io.plenum.bench.report.Row;
import io.plenum.bench.report.RowTable;
import java.util.Collection;
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

        public String describe() {
            return forks + " fork, " + warmups + "×" + warmupTime + " warmup, "
                    + measurements + "×" + measurementTime + " measurement";
        }
    }

    private JmhSuites() {
    }

    /** Runs {@code planned} and records every result in {@code table}; fails if any benchmark fails. */
    public static void run(List<JmhRows.Planned> planned, Settings settings, RowTable table) throws RunnerException {
        if (planned.isEmpty()) {
            return;
        }
        ChainedOptionsBuilder options = new OptionsBuilder()
                .forks(settings.forks())
                .warmupIterations(settings.warmups())
                .warmupTime(settings.warmupTime())
                .measurementIterations(settings.measurements())
                .measurementTime(settings.measurementTime())
                .jvmArgsAppend(JvmArgs.ALL.toArray(String[]::new))
                .shouldFailOnError(true);
        for (JmhRows.Planned p : planned) {
            options.include("^" + Pattern.quote(p.jmhName()) + "$");
        }
        Collection<RunResult> results = new Runner(options.build()).run();

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
