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
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Single-thread map operations on {@link #KEYS} present keys, walked with a stride: a
 * {@code SharedMap} on a {@code /dev/shm} file ({@code plenum}) against a
 * {@link ConcurrentHashMap} ({@code heap}). Long to Long through the allocation-free
 * {@code getLong}/{@code putLong} (and boxed {@code get}/{@code put} for the heap peer); 16-char
 * String keys to 32-char String values; 1 KiB byte values. Chronicle Map is not a column yet.
 */
@RowPrefix("map")
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {JvmArgs.NATIVE_ACCESS, JvmArgs.SERIAL_GC})
public class MapBench {
    static final int KEYS = 1 << 16;

    private Path longPath;
    private Path stringPath;
    private Path bytesPath;
    private SharedMap<Long, Long> longs;
    private SharedMap<String, String> strings;
    private SharedMap<String, byte[]> kib;
    private ConcurrentHashMap<Long, Long> heapLongs;
    private ConcurrentHashMap<String, String> heapStrings;
    private ConcurrentHashMap<String, byte[]> heapKib;
    private String[] keys;
    private String[] values;
    private byte[] value1k;
    private int step;
    private long sink;

    @Setup(Level.Trial)
    public void open() throws IOException {
        Path dir = ShmFiles.root();
        long pid = ProcessHandle.current().pid();
        longPath = dir.resolve("plenum-bench-map-longs-" + pid);
        stringPath = dir.resolve("plenum-bench-map-strings-" + pid);
        bytesPath = dir.resolve("plenum-bench-map-kib-" + pid);
        for (Path p : new Path[] {longPath, stringPath, bytesPath}) {
            Files.deleteIfExists(p);
        }
        longs = SharedMap.ofLongs(MapOptions.of(longPath));
        strings = SharedMap.ofStrings(MapOptions.of(stringPath));
        kib = SharedMap.open(io.plenum.codec.Codecs.STRING, io.plenum.codec.Codecs.BYTES, MapOptions.of(bytesPath));
        heapLongs = new ConcurrentHashMap<>();
        heapStrings = new ConcurrentHashMap<>();
        heapKib = new ConcurrentHashMap<>();
        keys = new String[KEYS];
        values = new String[KEYS];
        value1k = new byte[1024];
        for (int i = 0; i < KEYS; i++) {
            keys[i] = String.format("key-%012d", i);
            values[i] = String.format("value-%026d", i);
            longs.putLong(i, i);
            heapLongs.put((long) i, (long) i);
            strings.put(keys[i], values[i]);
            heapStrings.put(keys[i], values[i]);
            if (i < 4096) {
                kib.put(keys[i], value1k);
                heapKib.put(keys[i], value1k);
            }
        }
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        longs.close();
        strings.close();
        kib.close();
        for (Path p : new Path[] {longPath, stringPath, bytesPath}) {
            Files.deleteIfExists(p);
        }
        if (sink == 42) {
            System.out.println("sink");
        }
    }

    private int next() {
        return (step += 9) & (KEYS - 1);
    }

    @Benchmark
    public long long_get_plenum() {
        return longs.getLong(next(), -1);
    }

    @Benchmark
    public Long long_get_heap() {
        return heapLongs.get((long) next());
    }

    @Benchmark
    public void long_put_plenum() {
        int i = next();
        longs.putLong(i, i + 1);
    }

    @Benchmark
    public Long long_put_heap() {
        int i = next();
        return heapLongs.put((long) i, (long) i + 1);
    }

    @Benchmark
    public String string_get_plenum() {
        return strings.get(keys[next()]);
    }

    @Benchmark
    public String string_get_heap() {
        return heapStrings.get(keys[next()]);
    }

    @Benchmark
    public String string_put_plenum() {
        int i = next();
        return strings.put(keys[i], values[i]);
    }

    @Benchmark
    public String string_put_heap() {
        int i = next();
        return heapStrings.put(keys[i], values[i]);
    }

    @Benchmark
    public byte[] kib_get_plenum() {
        return kib.get(keys[next() & 4095]);
    }

    @Benchmark
    public byte[] kib_get_heap() {
        return heapKib.get(keys[next() & 4095]);
    }

    @Benchmark
    public byte[] kib_put_plenum() {
        return kib.put(keys[next() & 4095], value1k);
    }

    @Benchmark
    public byte[] kib_put_heap() {
        return heapKib.put(keys[next() & 4095], value1k);
    }
}
