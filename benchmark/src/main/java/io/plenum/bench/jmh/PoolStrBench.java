package io.plenum.bench.jmh;

import io.plenum.bench.JvmArgs;
import io.plenum.pool.PoolOptions;
import io.plenum.bench.heap.HeapStringSlots;
import io.plenum.bench.memory.ShmFiles;
import io.plenum.pool.SharedStringPool;
import io.plenum.segment.Backing;
import io.plenum.segment.OpenMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * String slots, 48-byte values as in Data::Pool::Shared's "Str set (48B)" rows: set and get
 * through the String API (UTF-8 both ways) of {@code SharedStringPool} ({@code plenum}) and of
 * {@link HeapStringSlots} ({@code heap}), on 64 allocated slots.
 */
@RowPrefix("pool.Str")
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {JvmArgs.NATIVE_ACCESS, JvmArgs.SERIAL_GC})
public class PoolStrBench {
    static final int SLOTS = 64;
    static final int MAX_LENGTH = 64;
    /** 48 bytes of ASCII. */
    static final String VALUE = "0123456789abcdef0123456789abcdef0123456789abcdef";

    private SharedStringPool pool;
    private HeapStringSlots heap;
    private int next;

    @Setup(Level.Trial)
    public void open() throws IOException {
        Path file = ShmFiles.root().resolve("plenum-bench-str-" + ProcessHandle.current().pid());
        try {
            pool = SharedStringPool.open(PoolOptions.of(Backing.file(file)).withMode(OpenMode.RECREATE).withCapacity(SLOTS).withMaxLength(MAX_LENGTH));
        } finally {
            Files.deleteIfExists(file);
        }
        heap = new HeapStringSlots(SLOTS, MAX_LENGTH);
        for (int i = 0; i < SLOTS; i++) {
            pool.set(pool.tryAllocIndex(), VALUE);
            heap.set(i, VALUE);
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        if (!pool.get(0).equals(VALUE)) {
            throw new IllegalStateException("slot 0 holds " + pool.get(0));
        }
        pool.close();
    }

    private int slot() {
        return next++ & (SLOTS - 1);
    }

    @Benchmark
    public void set_plenum() {
        pool.set(slot(), VALUE);
    }

    @Benchmark
    public void set_heap() {
        heap.set(slot(), VALUE);
    }

    @Benchmark
    public String get_plenum() {
        return pool.get(slot());
    }

    @Benchmark
    public String get_heap() {
        return heap.get(slot());
    }
}
