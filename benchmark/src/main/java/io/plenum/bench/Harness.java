package io.plenum.bench;

import io.plenum.bench.jmh.JmhRows;
import io.plenum.bench.jmh.JmhSuites;
import io.plenum.bench.report.Machine;
import io.plenum.bench.report.Report;
import io.plenum.bench.report.RowTable;
import io.plenum.bench.xp.CrossProcessRunner;
import io.plenum.bench.xp.CrossProcessScenario;
import java.nio.file.Files;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * The benchmark harness: runs the selected JMH suites and cross-process scenarios of
 * {@link Suites}, merges their results into rows, and writes latest.json, latest.md and
 * latest.png. Exit status: 0 when every planned cell holds a measured number, 1 when a
 * benchmark failed or measured nothing, 2 for a bad command line.
 */
public final class Harness {

    private Harness() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        HarnessOptions options;
        try {
            options = HarnessOptions.parse(args);
        } catch (HarnessOptions.UsageException e) {
            if (e.getMessage().isEmpty()) { // --help
                System.out.print(HarnessOptions.USAGE);
                return;
            }
            System.err.print(e.getMessage() + "\n" + HarnessOptions.USAGE);
            System.exit(2);
            return;
        }

        List<JmhRows.Planned> jmh = JmhRows.plan(Suites.JMH, options::selects);
        List<CrossProcessScenario> crossProcess =
                Suites.CROSS_PROCESS.stream().filter(s -> options.selects(s.row())).toList();
        if (jmh.isEmpty() && crossProcess.isEmpty()) {
            System.err.println("no benchmark row matches --only " + options.only());
            System.exit(2);
        }
        if (options.list()) {
            jmh.forEach(p -> System.out.println(p.row() + "  " + p.column() + "  (JMH " + p.jmhName() + ")"));
            crossProcess.forEach(s -> System.out.println(s.row() + "  " + s.column() + "  (cross-process, "
                    + s.processes() + " processes × " + s.threads() + " threads)"));
            return;
        }

        long started = System.nanoTime();
        JmhSuites.Settings jmhSettings = options.quick() ? JmhSuites.Settings.QUICK : JmhSuites.Settings.FULL;
        if (options.forks() > 0) {
            jmhSettings = jmhSettings.withForks(options.forks());
        }
        CrossProcessRunner.Settings xpSettings =
                options.quick() ? CrossProcessRunner.Settings.QUICK : CrossProcessRunner.Settings.FULL;
        OffsetDateTime startedAt = OffsetDateTime.now();
        RowTable table = new RowTable();
        JmhSuites.run(jmh, jmhSettings, table);
        CrossProcessRunner.run(crossProcess, xpSettings, table);
        Machine machine = Machine.detect(startedAt); // after the runs: the load average then covers them

        Report report = new Report(machine, new Report.RunInfo(options.quick(),
                options.only() == null ? null : options.only().pattern(),
                jmhSettings.describe(), xpSettings.describe()), table);
        report.writeTo(options.out());
        System.out.println();
        System.out.print(Files.readString(options.out().resolve("latest.md")));
        System.out.printf("%nwrote %s/latest.{json,md,png} in %d s%n",
                options.out(), (System.nanoTime() - started) / 1_000_000_000L);

        List<String> unmeasured = table.unmeasured();
        if (!unmeasured.isEmpty()) {
            System.err.println("benchmarks that measured nothing:");
            unmeasured.forEach(u -> System.err.println("  " + u));
            System.exit(1);
        }
    }
}
