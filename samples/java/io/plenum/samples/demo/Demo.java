package io.plenum.samples.demo;

import io.plenum.array.ArrayOptions;
import io.plenum.array.SharedLongArray;
import io.plenum.segment.Backing;
import io.plenum.segment.OpenMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Plenum's main job, for now: several worker JVMs share one {@link SharedLongArray} and add to
 * shared counters at the same time, with a live progress line; then the totals are checked to be
 * exact and the array's stats printed. Run it with {@code ./mvnw -q test-compile exec:exec@demo}.
 *
 * <p>Counter 0 is the total of all workers, counter 1 + w is worker w's own count; each sits on a
 * cache line of its own ({@link #STRIDE} elements apart) so that workers do not slow each other down
 * through false sharing.
 */
public final class Demo {
    private static final int STRIDE = 8;

    private Demo() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("worker")) {
            work(Path.of(args[1]), Integer.parseInt(args[2]), Long.parseLong(args[3]));
            return;
        }
        int workers = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        long increments = args.length > 1 ? Long.parseLong(args[1]) : 5_000_000;
        System.exit(lead(workers, increments) ? 0 : 1);
    }

    private static boolean lead(int workers, long increments) throws Exception {
        Path path = Files.createTempFile(Path.of("/dev/shm"), "plenum-demo-", ".seg");
        Files.delete(path);
        ArrayOptions options = ArrayOptions.of(Backing.file(path)).withCapacity((workers + 1L) * STRIDE)
                .withMode(OpenMode.CREATE_NEW);
        try (SharedLongArray counters = SharedLongArray.open(options)) {
            System.out.printf("Plenum demo: %d worker JVMs each add %,d to a shared total and to their own counter%n",
                    workers, increments);
            System.out.printf("array %s (%d bytes)%n", counters.describe(), counters.mappedSize());
            List<Process> children = new ArrayList<>();
            long start = System.nanoTime();
            for (int w = 0; w < workers; w++) {
                children.add(new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                        "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-cp",
                        System.getProperty("java.class.path"), Demo.class.getName(), "worker", path.toString(),
                        Integer.toString(w), Long.toString(increments)).inheritIO().start());
            }
            long target = workers * increments;
            boolean terminal = System.console() != null && System.console().isTerminal();
            for (int tick = 0; children.stream().anyMatch(Process::isAlive); tick++) {
                if (terminal || tick % 10 == 0) {
                    progress(counters, workers, target, start, terminal);
                }
                Thread.sleep(100);
            }
            progress(counters, workers, target, start, terminal);
            if (terminal) {
                System.out.println();
            }
            boolean exact = true;
            for (int w = 0; w < workers; w++) {
                int status = children.get(w).waitFor();
                long own = counter(counters, 1 + w);
                exact &= status == 0 && own == increments;
                System.out.printf("  worker %d (pid %d): exit %d, counted %,d%n", w, children.get(w).pid(), status, own);
            }
            long total = counter(counters, 0);
            exact &= total == target;
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("total %,d, expected %,d: %s%n", total, target, total == target ? "exact" : "WRONG");
            System.out.printf("%,.0f atomic adds/s across %d JVMs (including JVM start-up)%n", 2 * target / seconds, workers);
            System.out.println("array stats: " + counters.stats());
            counters.unlink();
            return exact;
        }
    }

    private static void progress(SharedLongArray counters, int workers, long target, long start, boolean terminal) {
        StringBuilder line = new StringBuilder();
        long total = counter(counters, 0);
        line.append(String.format(Locale.ROOT, "\r  total %,13d / %,d (%3d%%) |", total, target, 100 * total / target));
        for (int w = 0; w < workers; w++) {
            line.append(String.format(Locale.ROOT, " w%d %,d", w, counter(counters, 1 + w)));
        }
        line.append(String.format(Locale.ROOT, " | %.1fs  ", (System.nanoTime() - start) / 1e9));
        System.out.print(terminal ? line : line.substring(1) + System.lineSeparator());
        System.out.flush();
    }

    private static void work(Path path, int index, long increments) {
        try (SharedLongArray counters = SharedLongArray.open(ArrayOptions.of(Backing.file(path))
                .withMode(OpenMode.OPEN_EXISTING))) {
            int own = (1 + index) * STRIDE;
            for (long i = 0; i < increments; i++) {
                counters.getAndAdd(0, 1L);
                counters.getAndAdd(own, 1L);
            }
        }
    }

    private static long counter(SharedLongArray counters, int index) {
        return counters.get(index * STRIDE);
    }
}
