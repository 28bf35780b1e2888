package io.plenum.samples.map;

import io.plenum.codec.Codecs;
import io.plenum.map.MapOptions;
import io.plenum.map.SharedMap;
import io.plenum.segment.OpenMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * Named counters shared by several JVMs, used through plain {@link ConcurrentMap} code: worker
 * JVMs count events by name with {@code merge}, the way they would count into a
 * {@code ConcurrentHashMap}, and this JVM checks that no increment was lost.
 *
 * <p>Run: {@code NamedCountersSample [workers] [events per worker]}.
 */
public final class NamedCountersSample {
    private static final String[] EVENTS = {"login", "logout", "search", "purchase"};

    private NamedCountersSample() {
    }

    /** Counting code that knows nothing of shared memory: any ConcurrentMap will do. */
    static void count(ConcurrentMap<String, Long> counters, String event) {
        counters.merge(event, 1L, Long::sum);
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("worker")) {
            worker(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            return;
        }
        int workers = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int events = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        Path path = Files.createTempFile(Path.of("/dev/shm"), "plenum-counters-", "");
        Files.delete(path);
        try (SharedMap<String, Long> counters = SharedMap.open(Codecs.STRING, Codecs.LONG, MapOptions.of(path))) {
            List<Process> processes = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                processes.add(new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                        "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                        NamedCountersSample.class.getName(), "worker", path.toString(), Integer.toString(w),
                        Integer.toString(events)).inheritIO().start());
            }
            for (Process process : processes) {
                if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
                    throw new IllegalStateException("a worker failed");
                }
            }
            long total = 0;
            for (Map.Entry<String, Long> entry : counters.snapshot().entrySet()) {
                System.out.println(entry.getKey() + ": " + entry.getValue());
                total += entry.getValue();
            }
            System.out.println("total " + total + " of " + (long) workers * events + " events");
            counters.unlink();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void worker(String path, int index, int events) {
        try (SharedMap<String, Long> counters = SharedMap.open(Codecs.STRING, Codecs.LONG,
                MapOptions.of(path).withMode(OpenMode.OPEN_EXISTING))) {
            for (int i = 0; i < events; i++) {
                count(counters, EVENTS[(i * 7 + index) % EVENTS.length]);
            }
        }
    }
}
