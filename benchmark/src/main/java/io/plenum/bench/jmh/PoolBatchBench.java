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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Batches against single operations (Data::Pool::Shared's "Batch" table): {@code allocN_freeN}
 * takes n slots with one all-or-nothing call and gives them back with one {@code freeN} (one
 * statistics update and one wake check for the batch); {@code allocEach_freeEach} does n single
 * allocs and n single frees. One operation is one whole batch in both rows.
 */
@RowPrefix("pool.I64")
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {JvmArgs.NATIVE_ACCESS, JvmArgs.SERIAL_GC})
public class PoolBatchBench {
    @Param({"1", "4", "16", "64"})
    public int n;

    private SharedLongPool pool;
    private HeapBitmapPool heap;
    private int[] slots;

    @Setup(Level.Trial)
    public void open() throws IOException {
        Path file = ShmFiles.root().resolve("plenum-bench-batch-" + ProcessHandle.current().pid());
        try {
            pool = SharedLongPool.open(PoolOptions.of(Backing.file(file)).withMode(OpenMode.RECREATE).withCapacity(1024));
        } finally {
            Files.deleteIfExists(file);
        }
        heap = new HeapBitmapPool(1024);
        slots = new int[n];
    }

    @TearDown(Level.Trial)
    public void close() {
        if (pool.used() != 0) {
            throw new IllegalStateException("batch benchmarks leaked " + pool.used() + " slots");
        }
        pool.close();
    }

    @Benchmark
    public int allocN_freeN_plenum() throws InterruptedException {
        return pool.freeN(pool.allocN(n));
    }

    @Benchmark
    public int allocN_freeN_heap() {
        return heap.freeN(heap.tryAllocN(n));
    }

    @Benchmark
    public int allocEach_freeEach_plenum() throws InterruptedException {
        int[] held = slots;
        for (int i = 0; i < held.length; i++) {
            held[i] = pool.alloc();
        }
        int freed = 0;
        for (int slot : held) {
            freed += pool.free(slot) ? 1 : 0;
        }
        return freed;
    }

    @Benchmark
    public int allocEach_freeEach_heap() {
        int[] held = slots;
        for (int i = 0; i < held.length; i++) {
            held[i] = heap.tryAlloc();
        }
        int freed = 0;
        for (int slot : held) {
            freed += heap.free(slot) ? 1 : 0;
        }
        return freed;
    }
}
