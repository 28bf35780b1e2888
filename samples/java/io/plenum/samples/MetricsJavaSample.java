package io.plenum.samples;

import io.plenum.sync.LockGuard;
import io.plenum.array.ArrayOptions;
import io.plenum.array.SharedDoubleArray;
import io.plenum.array.SharedLongArray;
import io.plenum.segment.Backing;
import io.plenum.segment.OpenMode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A metrics array shared by several JVMs, in Java: worker JVMs count requests per status class in a
 * {@link SharedLongArray} and add up latencies in a {@link SharedDoubleArray} (an atomic
 * floating-point add), both in POSIX shared memory; this JVM prints live snapshots, checks the
 * totals, then takes and resets them under the write lock.
 *
 * <p>Run: {@code MetricsJavaSample [workers] [requests per worker]}.
 */
public final class MetricsJavaSample {
    static final int OK = 0;
    static final int CLIENT_ERROR = 1;
    static final int SERVER_ERROR = 2;
    static final String[] NAMES = {"2xx", "4xx", "5xx"};

    private MetricsJavaSample() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length > 0 && args[0].equals("worker")) {
            worker(args[1], Integer.parseInt(args[2]));
            return;
        }
        int workers = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int requests = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        String name = "plenum-sample-java-metrics-" + ProcessHandle.current().pid();

        try (SharedLongArray counts = SharedLongArray.open(options(name + "-counts").withCapacity(NAMES.length)
                     .withMode(OpenMode.CREATE_NEW));
             SharedDoubleArray latency = SharedDoubleArray.open(options(name + "-latency").withCapacity(1)
                     .withMode(OpenMode.CREATE_NEW))) {
            try {
                List<Process> children = new ArrayList<>();
                for (int i = 0; i < workers; i++) {
                    children.add(startWorker(name, requests));
                }
                for (Process child : children) {
                    while (!child.waitFor(200, TimeUnit.MILLISECONDS)) {
                        System.out.println(report(counts, latency));
                    }
                    if (child.exitValue() != 0) {
                        throw new IllegalStateException("a worker failed: " + new String(child.getInputStream().readAllBytes()));
                    }
                }
                System.out.println(report(counts, latency));

                long total = Arrays.stream(counts.slice(0, NAMES.length)).sum();
                double expectedLatency = workers * latencyOfAll(requests);
                if (total != (long) workers * requests || latency.get(0) != expectedLatency) {
                    throw new IllegalStateException("lost updates: " + total + " requests, latency " + latency.get(0)
                            + "; expected " + (long) workers * requests + " and " + expectedLatency);
                }
                System.out.printf("%d workers, %,d requests, mean latency %.2f ms: every update arrived%n",
                        workers, total, latency.get(0) / total);

                // Take the totals and start a new period, with no bulk writer in between.
                long[] period;
                try (LockGuard guard = counts.writeLock()) {
                    period = counts.slice(0, NAMES.length);
                    counts.clear();
                }
                System.out.println("period " + Arrays.toString(period) + ", now " + Arrays.toString(counts.slice(0, NAMES.length)));
            } finally {
                counts.unlink();
                latency.unlink();
            }
        }
    }

    static ArrayOptions options(String shmName) {
        return ArrayOptions.of(Backing.shm(shmName));
    }

    static String report(SharedLongArray counts, SharedDoubleArray latency) {
        long[] snapshot = counts.slice(0, NAMES.length);
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < NAMES.length; i++) {
            line.append(String.format("%s %,d  ", NAMES[i], snapshot[i]));
        }
        return line.append(String.format("latency %,.1f ms", latency.get(0))).toString();
    }

    /** The latency of request {@code i}: a multiple of 0.25 ms, so that sums are exact in a double. */
    static double latencyOf(int i) {
        return (i % 40) * 0.25;
    }

    /** The sum of {@link #latencyOf} over {@code requests} requests. */
    static double latencyOfAll(int requests) {
        double sum = 0;
        for (int i = 0; i < requests; i++) {
            sum += latencyOf(i);
        }
        return sum;
    }

    static void worker(String name, int requests) {
        try (SharedLongArray counts = SharedLongArray.open(options(name + "-counts").withMode(OpenMode.OPEN_EXISTING));
             SharedDoubleArray latency = SharedDoubleArray.open(options(name + "-latency").withMode(OpenMode.OPEN_EXISTING))) {
            for (int i = 0; i < requests; i++) {
                int status = i % 50 == 0 ? SERVER_ERROR : i % 10 == 0 ? CLIENT_ERROR : OK;
                counts.incrementAndGet(status);
                latency.addAndGet(0, latencyOf(i));
            }
        }
    }

    static Process startWorker(String name, int requests) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Xmx64m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), MetricsJavaSample.class.getName(),
                "worker", name, Integer.toString(requests))
                .redirectErrorStream(true).start();
    }
}
