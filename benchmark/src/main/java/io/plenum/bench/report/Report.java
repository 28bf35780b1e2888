package io.plenum.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Everything one run produced, and the three files written from it.
 *
 * @param machine where it ran
 * @param run     how it ran (quick or not, the filter, iteration settings)
 * @param table   the rows
 */
public record Report(Machine machine, RunInfo run, RowTable table) {

    /** How the run was configured; recorded so that result files can be compared fairly. */
    public record RunInfo(boolean quick, String only, String jmh, String crossProcess) {
    }

    /** Writes {@code latest.json}, {@code latest.md} and {@code latest.png} into {@code dir}. */
    public void writeTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("latest.json"), JsonReport.render(this));
        Files.writeString(dir.resolve("latest.md"), MarkdownReport.render(this));
        ChartReport.write(this, dir.resolve("latest.png"));
    }
}
