package io.plenum.bench.report;

import io.plenum.bench.NanoClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;

/**
 * Where the numbers were measured: enough to tell two result files apart.
 *
 * @param cores  processors available to the JVM
 * @param jdk    the full runtime version of the JVM that ran the harness (forks and workers use the same binary)
 * @param vm     VM vendor and name
 * @param kernel {@code uname -r}
 * @param arch   {@code os.arch}
 * @param cpu    the first "model name" of /proc/cpuinfo, or "unknown"
 * @param date   when the run started, UTC, ISO-8601
 * @param nanoTimeNs what one {@code System.nanoTime()} call costs here: the floor of every latency cell
 */
public record Machine(int cores, String jdk, String vm, String kernel, String arch, String cpu, String date,
                      long nanoTimeNs) {

    public static Machine detect() {
        return new Machine(
                Runtime.getRuntime().availableProcessors(),
                Runtime.version().toString(),
                System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name"),
                kernelRelease(),
                System.getProperty("os.arch"),
                cpuModel(),
                OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).toString(),
                NanoClock.cost());
    }

    /** One line for the top of the table and the chart. */
    public String summary() {
        return cores + " cores (" + cpu + "), JDK " + jdk + ", Linux " + kernel + " " + arch + ", " + date;
    }

    private static String kernelRelease() {
        try {
            Process p = new ProcessBuilder("uname", "-r").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 && !out.isEmpty()) {
                return out;
            }
        } catch (IOException e) {
            // no uname: fall through to the JVM's view, which on Linux is the same string
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return System.getProperty("os.version");
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim().replaceAll("\\s+", " ");
                }
            }
        } catch (IOException e) {
            // not Linux, or /proc not mounted
        }
        return "unknown";
    }
}
