package io.plenum.bench.jmh;

import io.plenum.bench.JvmArgs;
import io.plenum.bench.memory.ShmFiles;
import io.plenum.codec.Codec;
import io.plenum.codec.Codecs;
import io.plenum.map.MapOptions;
import io.plenum.map.SharedMap;
import io.plenum.segment.OpenMode;
import io.plenum.value.SharedValue;
import io.plenum.value.ValueOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@code SharedValue} get and set of 64 B, 4 KiB and 1 MiB byte-array values in a {@code /dev/shm}
 * segment ({@code plenum}: a lock-free copy-and-validate read; a write under the writer lock into
 * the other buffer, then one published word), against {@code heap}: an {@link AtomicReference}
 * holding the encoded value with the same codec (the limit: no shared memory at all), and
 * {@code map}: a {@code SharedMap} in its own {@code /dev/shm} segment holding the value under one
 * key (its lock-free get; its put, which also returns the value it replaced, as {@code Map.put}
 * does). Every column hands the reader a private copy, as the codec contract requires.
 */
@RowPrefix("value")
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {JvmArgs.NATIVE_ACCESS, JvmArgs.SERIAL_GC})
public class ValueBench {
    static final Codec<byte[]> CODEC = Codecs.BYTES;
    static final String KEY = "value";

    @Param({"64", "4096", "1048576"})
    public int size;

    private SharedValue<byte[]> value;
    private SharedMap<String, byte[]> map;
    private final AtomicReference<byte[]> heap = new AtomicReference<>();
    private byte[] bytes;

    @Setup(Level.Trial)
    public void open() throws IOException {
        Path file = ShmFiles.root().resolve("plenum-bench-value-" + ProcessHandle.current().pid());
        try {
            value = SharedValue.open(CODEC, ValueOptions.of(file).withMode(OpenMode.RECREATE)
                    .withInitialSize(size).withMaxSize(size));
        } finally {
            Files.deleteIfExists(file);
        }
        Path mapFile = ShmFiles.root().resolve("plenum-bench-value-map-" + ProcessHandle.current().pid());
        try {
            map = SharedMap.open(Codecs.STRING, CODEC, MapOptions.of(mapFile).withMode(OpenMode.RECREATE)
                    .withMaxValueSize(size));
        } finally {
            Files.deleteIfExists(mapFile);
        }
        bytes = new byte[size];
        bytes[size - 1] = 7;
        value.set(bytes);
        map.put(KEY, bytes);
        heap.set(CODEC.encode(bytes));
    }

    @TearDown(Level.Trial)
    public void close() {
        if (value.get()[size - 1] != 7 || CODEC.decode(heap.get().clone())[size - 1] != 7
                || map.get(KEY)[size - 1] != 7) {
            throw new IllegalStateException("value.* lost its value");
        }
        value.close();
        map.close();
    }

    @Benchmark
    public byte[] get_plenum() {
        return value.get();
    }

    @Benchmark
    public byte[] get_heap() {
        return CODEC.decode(heap.get().clone());
    }

    @Benchmark
    public long set_plenum() {
        return value.set(bytes);
    }

    @Benchmark
    public void set_heap() {
        heap.set(CODEC.encode(bytes));
    }

    @Benchmark
    public byte[] get_map() {
        return map.get(KEY);
    }

    @Benchmark
    public byte[] set_map() {
        return map.put(KEY, bytes);
    }
}
