package io.plenum.bench.report;

import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * {@code latest.json}: a stable shape, so that runs can be compared over time.
 *
 * <pre>
 * {"machine": {"cores": 2, "jdk": "25+36-LTS", "kernel": "6.1.0", …, "nanoTimeNs": 25},
 *  "run": {"quick": false, "only": null, "jmh": "…", "crossProcess": "…"},
 *  "rows": [
 *   {"name": "mapped.I64.get", "unit": "ops/s", "processes": 1, "threads": 1,
 *    "plenum": 4.1e8, "peers": {"heap": 4.3e8, "agrona": 3.9e8}, "ratio": {"heap": 0.95, "agrona": 1.05},
 *    "error": {"plenum": 1.2e7, "heap": 0.9e7, "agrona": 2e7}},
 *   {"name": "mapped.I64.getAndAdd", "unit": "ns", "processes": 2, "threads": 1,
 *    "plenum": {"p50": 40, "p99": 95}, "peers": {"agrona": {"p50": 42, "p99": 99}}, "ratio": {"agrona": 1.05}, "error": {}}]}
 * </pre>
 *
 * Rate rows hold plain numbers; latency rows (unit "ns") hold {@code {"p50", "p99"}} objects.
 * {@code ratio} > 1 always means Plenum is better (see {@link Cell#advantage}; latency at p50).
 * {@code error} holds, per column, the half-width of JMH's 99.9% confidence interval in ops/s
 * where JMH gave one.
 * A column that was not measured is absent ({@code "plenum": null} when Plenum has no cell).
 */
final class JsonReport {

    private JsonReport() {
    }

    static String render(Report report) {
        StringBuilder out = new StringBuilder(4096);
        Machine m = report.machine();
        out.append("{\n  \"machine\": {")
                .append("\"cores\": ").append(m.cores())
                .append(", \"jdk\": ").append(string(m.jdk()))
                .append(", \"vm\": ").append(string(m.vm()))
                .append(", \"kernel\": ").append(string(m.kernel()))
                .append(", \"arch\": ").append(string(m.arch()))
                .append(", \"cpu\": ").append(string(m.cpu()))
                .append(", \"date\": ").append(string(m.date()))
                .append(", \"nanoTimeNs\": ").append(m.nanoTimeNs())
                .append(", \"loadAverage\": ").append(string(m.loadAverage()))
                .append("},\n");
        Report.RunInfo run = report.run();
        out.append("  \"run\": {\"quick\": ").append(run.quick())
                .append(", \"only\": ").append(run.only() == null ? "null" : string(run.only()))
                .append(", \"jmh\": ").append(string(run.jmh()))
                .append(", \"crossProcess\": ").append(string(run.crossProcess()))
                .append("},\n");
        out.append("  \"rows\": [");
        List<Row> rows = report.table().rows();
        List<String> peers = report.table().peerNames();
        for (int i = 0; i < rows.size(); i++) {
            out.append(i == 0 ? "\n    " : ",\n    ");
            row(out, rows.get(i), peers);
        }
        out.append("\n  ]\n}\n");
        return out.toString();
    }

    private static void row(StringBuilder out, Row row, List<String> peers) {
        Row.Key k = row.key();
        out.append("{\"name\": ").append(string(k.name()))
                .append(", \"unit\": ").append(string(k.unit()))
                .append(", \"processes\": ").append(k.processes())
                .append(", \"threads\": ").append(k.threads())
                .append(", \"plenum\": ").append(row.plenum().map(JsonReport::cell).orElse("null"))
                .append(", \"peers\": {");
        String sep = "";
        for (String peer : peers) {
            Cell c = row.columns().get(peer);
            if (c != null) {
                out.append(sep).append(string(peer)).append(": ").append(cell(c));
                sep = ", ";
            }
        }
        out.append("}, \"ratio\": {");
        sep = "";
        for (String peer : peers) {
            OptionalDouble r = row.advantageOver(peer, false);
            if (r.isPresent()) {
                out.append(sep).append(string(peer)).append(": ").append(Numbers.json(r.getAsDouble()));
                sep = ", ";
            }
        }
        out.append("}, \"error\": {");
        sep = "";
        for (Map.Entry<String, Cell> column : row.columns().entrySet()) {
            if (column.getValue() instanceof Cell.Rate r && Double.isFinite(r.error())) {
                out.append(sep).append(string(column.getKey())).append(": ").append(Numbers.json(r.error()));
                sep = ", ";
            }
        }
        out.append("}}");
    }

    private static String cell(Cell cell) {
        return switch (cell) {
            case Cell.Rate r -> Numbers.json(r.opsPerSecond());
            case Cell.Latency l -> "{\"p50\": " + Numbers.json(l.p50()) + ", \"p99\": " + Numbers.json(l.p99()) + "}";
        };
    }

    static String string(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
