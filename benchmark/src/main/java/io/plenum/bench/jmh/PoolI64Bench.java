package io.plenum.bench.jmh;

import io.plenum.bench.JvmArgs;
import io.plenum.pool.PoolOptions;
import io.plenum.bench.heap.HeapBitmapPool;
import io.plenum.bench.memory.ShmFiles;
import io.plenum.pool.SharedLongPool;
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
 * Single-thread slot pool operations, the rows of Data::Pool::Shared's "Single process" table:
 * {@code SharedLongPool} on a {@code /dev/shm} file ({@code plenum}) against
 * {@link HeapBitmapPool}, a lock-free bitmap pool over {@code AtomicLongArray} ({@code heap}).
 *
 * <p>alloc_free and alloc_set_free work on a pool of {@link #CAPACITY} free slots; get, set, add
 * and cas on a second pool whose slots are all allocated, walked with stride 9 as in
 * {@link MappedI64Bench}. Every data access is volatile or an atomic read-modify-write in both
 * columns.
 */
@RowPrefix("pool.I64")
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {JvmArgs.NATIVE_ACCESS, JvmArgs.SERIAL_GC})
public class PoolI64Bench {
    static final int CAPACITY = StrideCursor.LENGTH;

    private SharedLongPool pool;
    private SharedLongPool full;
    private HeapBitmapPool heapPool;
    private HeapBitmapPool heapFull;


    @Setup(Level.Trial)
    public void open() throws IOException {
        Path dir = ShmFiles.root();
        Path free = dir.resolve("plenum-bench-pool-" + ProcessHandle.current().pid());
        Path used = dir.resolve("plenum-bench-pool-full-" + ProcessHandle.current().pid());
        try {
            pool = SharedLongPool.open(PoolOptions.of(Backing.file(free)).withMode(OpenMode.RECREATE).withCapacity(CAPACITY));
            full = SharedLongPool.open(PoolOptions.of(Backing.file(used)).withMode(OpenMode.RECREATE).withCapacity(CAPACITY));
        } finally {
            Files.deleteIfExists(free);
            Files.deleteIfExists(used);
        }
        heapPool = new HeapBitmapPool(CAPACITY);
        heapFull = new HeapBitmapPool(CAPACITY);
        for (int i = 0; i < CAPACITY; i++) {
            full.tryAllocIndex();
            heapFull.tryAlloc();
        }
        // Each benchmark method runs in a fresh fork: the CAS walk finds every slot at 0.
    }

    @TearDown(Level.Trial)
    public void close() {
        if (pool.used() != 0 || heapPool.tryAllocN(CAPACITY) == null) {
            throw new IllegalStateException("alloc/free benchmarks leaked slots: " + pool.used() + " used");
        }
        pool.close();
        full.close();
    }

    @Benchmark
    public int alloc_free_plenum() throws InterruptedException {
        int slot = pool.alloc();
        pool.free(slot);
        return slot;
    }

    @Benchmark
    public int alloc_free_heap() {
        int slot = heapPool.tryAlloc();
        heapPool.free(slot);
        return slot;
    }

    @Benchmark
    public int alloc_set_free_plenum(StrideCursor c) throws InterruptedException {
        int slot = pool.allocAndSet(c.advance());
        pool.free(slot);
        return slot;
    }

    @Benchmark
    public int alloc_set_free_heap(StrideCursor c) {
        int slot = heapPool.tryAlloc();
        heapPool.set(slot, c.advance());
        heapPool.free(slot);
        return slot;
    }

    @Benchmark
    public long get_plenum(StrideCursor c) {
        return full.get(c.next());
    }

    @Benchmark
    public long get_heap(StrideCursor c) {
        return heapFull.get(c.next());
    }

    @Benchmark
    public void set_plenum(StrideCursor c) {
        long value = c.step();
        full.set(c.next(), value);
    }

    @Benchmark
    public void set_heap(StrideCursor c) {
        long value = c.step();
        heapFull.set(c.next(), value);
    }

    @Benchmark
    public boolean cas_plenum(StrideCursor c) {
        long expected = c.lap();
        return c.checked(full.compareAndSet(c.next(), expected, expected + 1));
    }

    @Benchmark
    public boolean cas_heap(StrideCursor c) {
        long expected = c.lap();
        return c.checked(heapFull.compareAndSet(c.next(), expected, expected + 1));
    }

    @Benchmark
    public long add_plenum(StrideCursor c) {
        return full.addAndGet(c.next(), 1L);
    }

    @Benchmark
    public long add_heap(StrideCursor c) {
        return heapFull.addAndGet(c.next(), 1L);
    }
}
