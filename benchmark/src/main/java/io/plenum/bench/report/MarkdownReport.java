package io.plenum.bench.report;

import java.util.List;
import java.util.OptionalDouble;

/**
 * {@code latest.md}: one table, a row per workload, a column per implementation, then the
 * ratios. Every ratio reads the same way: above 1 means Plenum is better.
 */
final class MarkdownReport {

    private static final String NONE = "–";

    private MarkdownReport() {
    }

    static String render(Report report) {
        List<String> peers = report.table().peerNames();
        Report.RunInfo run = report.run();
        StringBuilder out = new StringBuilder(4096);
        out.append("# Plenum benchmarks\n\n")
                .append("- Machine: ").append(report.machine().summary()).append('\n')
                .append("- Run: ").append(run.quick() ? "quick smoke pass (numbers are rough)" : "full")
                .append(run.only() == null ? "" : ", only rows matching `" + run.only() + "`").append('\n')
                .append("- JMH: ").append(run.jmh()).append('\n')
                .append("- Cross-process: ").append(run.crossProcess()).append('\n')
                .append("- Shape: `Np×Mt` = N processes with M threads each.\n")
                .append("- Cells: ops/s rows give the aggregate rate (higher is better), with JMH's 99.9%\n")
                .append("  confidence interval where there is one; ns rows give the\n")
                .append("  time of one operation as `p50 / p99` (lower is better), including one\n")
                .append("  `System.nanoTime()` call: ").append(report.machine().nanoTimeNs()).append(" ns on this machine.\n")
                .append("- **Ratios: above 1 means Plenum is better.** ops/s rows: Plenum ÷ peer;\n")
                .append("  ns rows: peer ÷ Plenum at p50, with the p99 ratio in parentheses.\n\n");

        out.append("| row | unit | shape | plenum |");
        peers.forEach(p -> out.append(' ').append(p).append(" |"));
        peers.forEach(p -> out.append(" plenum vs ").append(p).append(" |"));
        out.append("\n|---|---|---|---:|");
        peers.forEach(p -> out.append("---:|"));
        peers.forEach(p -> out.append("---:|"));
        out.append('\n');

        for (Row row : report.table().rows()) {
            out.append("| ").append(row.name())
                    .append(" | ").append(row.unit())
                    .append(" | ").append(row.key().shape())
                    .append(" | ").append(row.plenum().map(MarkdownReport::cell).orElse(NONE)).append(" |");
            for (String peer : peers) {
                Cell c = row.columns().get(peer);
                out.append(' ').append(c == null ? NONE : cell(c)).append(" |");
            }
            for (String peer : peers) {
                out.append(' ').append(ratio(row, peer)).append(" |");
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String cell(Cell cell) {
        return switch (cell) {
            case Cell.Rate r -> Numbers.human(r.opsPerSecond()) + (Double.isFinite(r.error())
                    ? String.format(java.util.Locale.ROOT, " ±%.0f%%", 100 * r.error() / r.opsPerSecond()) : "");
            case Cell.Latency l -> Numbers.human(l.p50()) + " / " + Numbers.human(l.p99());
        };
    }

    private static String ratio(Row row, String peer) {
        OptionalDouble r = row.advantageOver(peer, false);
        if (r.isEmpty()) {
            return NONE;
        }
        String text = Numbers.ratio(r.getAsDouble());
        if (row.isLatency()) {
            text += " (p99 " + Numbers.ratio(row.advantageOver(peer, true).getAsDouble()) + ")";
        }
        return text;
    }
}
