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
 * @param loadAverage the 1, 5 and 15 minute load averages of /proc/loadavg when the run ended:
 *                    above {@code cores}, other work competed with the benchmarks for the CPUs
 */
public record Machine(int cores, String jdk, String vm, String kernel, String arch, String cpu, String date,
                      long nanoTimeNs, String loadAverage) {

    /** What is known now about this machine, for a run that started at {@code started}. */
    public static Machine detect(OffsetDateTime started) {
        return new Machine(
                Runtime.getRuntime().availableProcessors(),
                Runtime.version().toString(),
                System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name"),
                kernelRelease(),
                System.getProperty("os.arch"),
                cpuModel(),
                started.withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).toString(),
                NanoClock.cost(),
                readLoadAverage());
    }

    /** One line for the top of the table and the chart. */
    public String summary() {
        return cores + " cores (" + cpu + "), JDK " + jdk + ", Linux " + kernel + " " + arch + ", " + date
                + ", load " + loadAverage;
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

    private static String readLoadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | ArrayIndexOutOfBoundsException e) {
            return "unknown";
        }
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
