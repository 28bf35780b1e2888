package io.plenum.bench.jmh;

import io.plenum.array.ArrayOptions;
import io.plenum.array.SharedLongArray;
import io.plenum.bench.JvmArgs;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Single-element operations of a {@link SharedLongArray} of 1024 elements in {@code /dev/shm}
 * ({@code plenum}), against a heap {@link AtomicLongArray} ({@code heap}) and Agrona's
 * {@link UnsafeBuffer} over a mapped file of the same kind ({@code agrona}), with the same memory
 * order in every column: acquire get, release set, volatile increment and CAS (Agrona has no
 * acquire get: its volatile get is the same load on x86). The same stride-9 walk as
 * {@link MappedI64Bench} picks the element.
 */
@RowPrefix("array.I64")
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {JvmArgs.NATIVE_ACCESS, JvmArgs.OPEN_INTERNAL_MISC, JvmArgs.OPEN_NIO,
        JvmArgs.EXPORT_INTERNAL_REF, JvmArgs.UNSAFE_ALLOWED, JvmArgs.SERIAL_GC})
public class ArrayI64Bench extends ArrayPeers {
    private SharedLongArray array;
    private AtomicLongArray heap;

    @Override
    protected AutoCloseable openArray(ArrayOptions options) {
        array = SharedLongArray.open(options);
        heap = new AtomicLongArray(MappedI64Bench.LENGTH);
        return array;
    }

    @TearDown(Level.Trial)
    public void close() {
        array.close();
    }

    @Benchmark
    public long get_plenum(StrideCursor c) {
        return array.get(c.next());
    }

    @Benchmark
    public long get_heap(StrideCursor c) {
        return heap.getAcquire(c.next());
    }

    @Benchmark
    public long get_agrona(StrideCursor c) {
        return agrona.getLongVolatile(c.next() << 3);
    }

    @Benchmark
    public void set_plenum(StrideCursor c) {
        long value = c.lap();
        array.set(c.next(), value);
    }

    @Benchmark
    public void set_heap(StrideCursor c) {
        long value = c.lap();
        heap.setRelease(c.next(), value);
    }

    @Benchmark
    public void set_agrona(StrideCursor c) {
        long value = c.lap();
        agrona.putLongRelease(c.next() << 3, value);
    }

    @Benchmark
    public long increment_plenum(StrideCursor c) {
        return array.incrementAndGet(c.next());
    }

    @Benchmark
    public long increment_heap(StrideCursor c) {
        return heap.incrementAndGet(c.next());
    }

    @Benchmark
    public long increment_agrona(StrideCursor c) {
        return agrona.getAndAddLong(c.next() << 3, 1L) + 1L;
    }

    @Benchmark
    public boolean cas_plenum(StrideCursor c) {
        long expected = c.lap();
        return c.checked(array.compareAndSet(c.next(), expected, expected + 1));
    }

    @Benchmark
    public boolean cas_heap(StrideCursor c) {
        long expected = c.lap();
        return c.checked(heap.compareAndSet(c.next(), expected, expected + 1));
    }

    @Benchmark
    public boolean cas_agrona(StrideCursor c) {
        long expected = c.lap();
        return c.checked(agrona.compareAndSetLong(c.next() << 3, expected, expected + 1));
    }
}
