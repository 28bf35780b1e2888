package io.plenum.samples.demo;

import io.plenum.segment.Backing;
import io.plenum.segment.OpenMode;
import io.plenum.segment.Segment;
import io.plenum.segment.SegmentHeader;
import io.plenum.segment.SegmentKind;
import io.plenum.segment.SegmentSpec;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Plenum's main job, for now: several worker JVMs share one segment and add to shared counters at
 * the same time, with a live progress line; then the totals are checked to be exact and the
 * segment's figures printed. Run it with {@code ./mvnw -q test-compile exec:exec@demo}.
 *
 * <pre>
 * body: counter 0 = total of all workers, counter 1 + w = worker w's own count, one cache line each
 * </pre>
 */
public final class Demo {
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final long STRIDE = 64;

    /** The demo's own little segment kind: {@code capacity} counters, a cache line apart. */
    static final SegmentKind COUNTERS = new SegmentKind() {
        public String name() {
            return "demo-counters";
        }

        public int magic() {
            return SegmentHeader.magic("PLDC");
        }

        public int version() {
            return 1;
        }

        public long bodySize(int variant, long capacity, int elementSize) {
            if (capacity < 1 || capacity > 1024) {
                throw new IllegalArgumentException("capacity must be 1..1024: " + capacity);
            }
            return capacity * STRIDE;
        }
    };

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
        SegmentSpec spec = new SegmentSpec(COUNTERS, 0, workers + 1, 8);
        try (Segment segment = Segment.open(Backing.file(path), OpenMode.CREATE_NEW, spec)) {
            System.out.printf("Plenum demo: %d worker JVMs each add %,d to a shared total and to their own counter%n",
                    workers, increments);
            System.out.printf("segment %s (%d bytes)%n", segment.describe(), segment.mappedSize());
            List<Process> children = new ArrayList<>();
            long start = System.nanoTime();
            for (int w = 0; w < workers; w++) {
                children.add(new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                        "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-cp",
                        System.getProperty("java.class.path"), Demo.class.getName(), "worker", path.toString(),
                        Integer.toString(w), Long.toString(increments)).inheritIO().start());
            }
            MemorySegment memory = segment.memory();
            long target = workers * increments;
            boolean terminal = System.console() != null && System.console().isTerminal();
            for (int tick = 0; children.stream().anyMatch(Process::isAlive); tick++) {
                if (terminal || tick % 10 == 0) {
                    progress(memory, workers, target, start, terminal);
                }
                Thread.sleep(100);
            }
            progress(memory, workers, target, start, terminal);
            if (terminal) {
                System.out.println();
            }
            boolean exact = true;
            for (int w = 0; w < workers; w++) {
                int status = children.get(w).waitFor();
                long own = counter(memory, 1 + w);
                exact &= status == 0 && own == increments;
                System.out.printf("  worker %d (pid %d): exit %d, counted %,d%n", w, children.get(w).pid(), status, own);
            }
            long total = counter(memory, 0);
            exact &= total == target;
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("total %,d, expected %,d: %s%n", total, target, total == target ? "exact" : "WRONG");
            System.out.printf("%,.0f atomic adds/s across %d JVMs (including JVM start-up)%n", 2 * target / seconds, workers);
            SegmentHeader header = segment.header();
            System.out.printf("segment stats: kind %s, capacity %d, body at %d, mapped %d bytes, file %d bytes, "
                            + "created by pid %d%n", COUNTERS.name(), header.capacity(), header.bodyOffset(),
                    segment.mappedSize(), segment.fileSize(), header.creatorPid());
            segment.unlink();
            return exact;
        }
    }

    private static void progress(MemorySegment memory, int workers, long target, long start, boolean terminal) {
        StringBuilder line = new StringBuilder();
        long total = counter(memory, 0);
        line.append(String.format(Locale.ROOT, "\r  total %,13d / %,d (%3d%%) |", total, target, 100 * total / target));
        for (int w = 0; w < workers; w++) {
            line.append(String.format(Locale.ROOT, " w%d %,d", w, counter(memory, 1 + w)));
        }
        line.append(String.format(Locale.ROOT, " | %.1fs  ", (System.nanoTime() - start) / 1e9));
        System.out.print(terminal ? line : line.substring(1) + System.lineSeparator());
        System.out.flush();
    }

    private static void work(Path path, int index, long increments) {
        try (Segment segment = Segment.open(Backing.file(path), OpenMode.OPEN_EXISTING,
                new SegmentSpec(COUNTERS, 0, -1, 8))) {
            MemorySegment memory = segment.memory();
            for (long i = 0; i < increments; i++) {
                LONG.getAndAdd(memory, offset(0), 1L);
                LONG.getAndAdd(memory, offset(1 + index), 1L);
            }
        }
    }

    private static long counter(MemorySegment memory, int index) {
        return (long) LONG.getVolatile(memory, offset(index));
    }

    private static long offset(int index) {
        return SegmentHeader.BODY_OFFSET + index * STRIDE;
    }
}
