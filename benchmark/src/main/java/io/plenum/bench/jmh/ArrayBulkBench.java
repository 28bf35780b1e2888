package io.plenum.bench.jmh;

import io.plenum.array.ArrayOptions;
import io.plenum.array.SharedLongArray;
import io.plenum.bench.JvmArgs;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Bulk operations on {@code count} elements of a 1024-element I64 array: "slice" copies them into a
 * {@code long[]} the caller keeps, "fill" sets them to one value. {@code plenum} does it with the
 * consistency it promises across processes (a seqlock-validated copy; a fill under the write lock and
 * a seqlock write); {@code heap} is a plain {@code long[]} with {@link System#arraycopy} and
 * {@link Arrays#fill}, which promise nothing across threads; {@code agrona} is a plain loop over an
 * {@link UnsafeBuffer} of a mapped file, which promises nothing either.
 */
@RowPrefix("array.I64")
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {JvmArgs.NATIVE_ACCESS, JvmArgs.OPEN_INTERNAL_MISC, JvmArgs.OPEN_NIO,
        JvmArgs.EXPORT_INTERNAL_REF, JvmArgs.UNSAFE_ALLOWED, JvmArgs.SERIAL_GC})
public class ArrayBulkBench extends ArrayPeers {
    @Param("100")
    public int count;

    private SharedLongArray array;
    private long[] heap;
    private long[] into;
    private long value;

    @Override
    protected AutoCloseable openArray(ArrayOptions options) {
        array = SharedLongArray.open(options);
        heap = new long[MappedI64Bench.LENGTH];
        into = new long[count];
        return array;
    }

    @TearDown(Level.Trial)
    public void close() {
        array.close();
    }

    @Benchmark
    public long[] slice_plenum() {
        array.copyTo(0, into, 0, count);
        return into;
    }

    @Benchmark
    public long[] slice_heap() {
        System.arraycopy(heap, 0, into, 0, count);
        return into;
    }

    @Benchmark
    public long[] slice_agrona() {
        for (int i = 0; i < count; i++) {
            into[i] = agrona.getLong(i << 3);
        }
        return into;
    }

    @Benchmark
    public void fill_plenum() {
        array.fill(0, count, value++);
    }

    @Benchmark
    public void fill_heap() {
        Arrays.fill(heap, 0, count, value++);
    }

    @Benchmark
    public void fill_agrona() {
        long v = value++;
        for (int i = 0; i < count; i++) {
            agrona.putLong(i << 3, v);
        }
    }
}
