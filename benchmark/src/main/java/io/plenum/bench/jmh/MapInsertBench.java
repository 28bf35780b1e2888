package io.plenum.bench.jmh;

import io.plenum.bench.JvmArgs;
import io.plenum.bench.memory.ShmFiles;
import io.plenum.map.MapOptions;
import io.plenum.map.SharedMap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import net.openhft.chronicle.map.ChronicleMap;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Inserting {@link #N} new Long to Long entries, in scrambled key order, into a map created
 * for each invocation: {@code map.insert_empty} into one created empty (Plenum grows its
 * table and data area as it goes), {@code map.insert_presized} into one created for N entries
 * ({@code MapOptions.withInitialCapacity}; {@code new ConcurrentHashMap<>(N)}). The rate is
 * entries per second; the target is insert_empty at most 2× the presized time, i.e.
 * at least half its rate. Chronicle Map has only the presized column: it cannot start empty
 * and grow to N (it must be told its entry count up front).
 */
@RowPrefix("map")
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(MapInsertBench.N)
@Fork(value = 1, jvmArgsAppend = {JvmArgs.NATIVE_ACCESS, JvmArgs.SERIAL_GC,
        MapBench.CHRONICLE_1, MapBench.CHRONICLE_2, MapBench.CHRONICLE_3, MapBench.CHRONICLE_4,
        MapBench.CHRONICLE_5, MapBench.CHRONICLE_6, MapBench.CHRONICLE_7, MapBench.CHRONICLE_8, MapBench.CHRONICLE_QUIET})
public class MapInsertBench {
    static final int N = 1_000_000;

    /** Distinct keys in an order unrelated to their value (an odd multiplier is a bijection). */
    static long key(int i) {
        return i * 0x9E37_79B9_7F4A_7C15L;
    }

    /** A fresh {@code /dev/shm} path per invocation, removed afterwards. */
    @State(Scope.Thread)
    public abstract static class FileState {
        Path path;

        void newPath(String what) throws IOException {
            path = ShmFiles.root().resolve("plenum-bench-map-insert-" + what + "-" + ProcessHandle.current().pid());
            Files.deleteIfExists(path);
        }

        @TearDown(Level.Invocation)
        public void delete() throws IOException {
            closeMap();
            Files.deleteIfExists(path);
        }

        abstract void closeMap() throws IOException;
    }

    public static class PlenumEmpty extends FileState {
        SharedMap<Long, Long> map;

        @Setup(Level.Invocation)
        public void open() throws IOException {
            newPath("empty");
            map = SharedMap.ofLongs(MapOptions.of(path));
        }

        @Override
        void closeMap() {
            check(map.size());
            map.close();
        }
    }

    public static class PlenumPresized extends FileState {
        SharedMap<Long, Long> map;

        @Setup(Level.Invocation)
        public void open() throws IOException {
            newPath("presized");
            map = SharedMap.ofLongs(MapOptions.of(path).withInitialCapacity(N));
        }

        @Override
        void closeMap() {
            check(map.size());
            map.close();
        }
    }

    public static class ChroniclePresized extends FileState {
        ChronicleMap<Long, Long> map;

        @Setup(Level.Invocation)
        public void open() throws IOException {
            newPath("chronicle");
            map = ChronicleMap.of(Long.class, Long.class).name("insert").entries(N).createPersistedTo(path.toFile());
        }

        @Override
        void closeMap() {
            check(map.size());
            map.close();
        }
    }

    @State(Scope.Thread)
    public static class HeapEmpty {
        ConcurrentHashMap<Long, Long> map;

        @Setup(Level.Invocation)
        public void open() {
            map = new ConcurrentHashMap<>();
        }

        @TearDown(Level.Invocation)
        public void done() {
            check(map.size());
        }
    }

    @State(Scope.Thread)
    public static class HeapPresized {
        ConcurrentHashMap<Long, Long> map;

        @Setup(Level.Invocation)
        public void open() {
            map = new ConcurrentHashMap<>(N);
        }

        @TearDown(Level.Invocation)
        public void done() {
            check(map.size());
        }
    }

    /** Every invocation must have inserted N distinct entries. */
    static void check(int size) {
        if (size != N) {
            throw new IllegalStateException("map.insert: " + size + " entries after inserting " + N);
        }
    }

    private static long insertShared(SharedMap<Long, Long> map) {
        for (int i = 0; i < N; i++) {
            map.putLong(key(i), i);
        }
        return map.getLong(key(N - 1));
    }

    private static long insertHeap(java.util.Map<Long, Long> map) {
        for (int i = 0; i < N; i++) {
            map.put(key(i), (long) i);
        }
        return map.get(key(N - 1));
    }

    @Benchmark
    public long insert_empty_plenum(PlenumEmpty s) {
        return insertShared(s.map);
    }

    @Benchmark
    public long insert_presized_plenum(PlenumPresized s) {
        return insertShared(s.map);
    }

    @Benchmark
    public long insert_empty_heap(HeapEmpty s) {
        return insertHeap(s.map);
    }

    @Benchmark
    public long insert_presized_heap(HeapPresized s) {
        return insertHeap(s.map);
    }

    @Benchmark
    public long insert_presized_chronicle(ChroniclePresized s) {
        return insertHeap(s.map);
    }
}
