package io.plenum.bench.xp;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * What one worker thread measured, and the stdout line that carries it to the parent:
 *
 * <pre>PLENUM-WORKER worker=0 thread=0 ops=81920 elapsedNs=1000123 warmupOps=20480 sampleEvery=512 histogram=HISTFAAAA…</pre>
 *
 * {@code histogram} is an HdrHistogram of the times in ns of single operations (one in
 * {@code sampleEvery} was timed), compressed and in base64. Other stdout lines are ignored.
 */
record WorkerReport(int worker, int thread, long ops, long elapsedNs, long warmupOps, int sampleEvery,
                    Histogram histogram) {

    private static final String TAG = "PLENUM-WORKER";

    String toLine() {
        ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        int length = histogram.encodeIntoCompressedByteBuffer(buffer);
        String encoded = Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), length));
        return TAG + " worker=" + worker + " thread=" + thread + " ops=" + ops + " elapsedNs=" + elapsedNs
                + " warmupOps=" + warmupOps + " sampleEvery=" + sampleEvery + " histogram=" + encoded;
    }

    /** The report on {@code line}, or empty if the line is not a report. */
    static Optional<WorkerReport> parse(String line) {
        if (!line.startsWith(TAG + " ")) {
            return Optional.empty();
        }
        Map<String, String> fields = new HashMap<>();
        for (String part : line.substring(TAG.length() + 1).split(" ")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("malformed worker report field '" + part + "' in: " + line);
            }
            fields.put(part.substring(0, eq), part.substring(eq + 1));
        }
        try {
            Histogram h = Histogram.decodeFromCompressedByteBuffer(
                    ByteBuffer.wrap(Base64.getDecoder().decode(field(fields, "histogram", line))), 0);
            return Optional.of(new WorkerReport(
                    Integer.parseInt(field(fields, "worker", line)),
                    Integer.parseInt(field(fields, "thread", line)),
                    Long.parseLong(field(fields, "ops", line)),
                    Long.parseLong(field(fields, "elapsedNs", line)),
                    Long.parseLong(field(fields, "warmupOps", line)),
                    Integer.parseInt(field(fields, "sampleEvery", line)),
                    h));
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("undecodable histogram in worker report: " + line, e);
        }
    }

    private static String field(Map<String, String> fields, String name, String line) {
        String v = fields.get(name);
        if (v == null) {
            throw new IllegalArgumentException("worker report without " + name + ": " + line);
        }
        return v;
    }
}
