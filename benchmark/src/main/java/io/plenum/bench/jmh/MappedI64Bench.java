package io.plenum.bench.jmh;

import io.plenum.bench.JvmArgs;
import io.plenum.bench.memory.ShmFiles;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.MappedByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
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
 * Atomic access to 1024 longs in a mapped tmpfs file: the raw FFM path Plenum's arrays
 * sit on ({@code plenum}), against a heap {@link AtomicLongArray} ({@code heap}, the
 * practical limit) and Agrona's {@link UnsafeBuffer} over a {@link MappedByteBuffer} of
 * the same kind of file ({@code agrona}). Every access is volatile (or a full-fence
 * read-modify-write) in all three columns.
 *
 * <p>The segment, array and buffer are instance fields, as they will be in Plenum's
 * structures (per-instance segments); the VarHandle is a {@code static final} constant,
 * as in a layout class. Each call visits the next element of a stride-9 walk over all
 * 1024 elements, so the index computation is the same in every column.
 */
@RowPrefix("mapped.I64")
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {JvmArgs.NATIVE_ACCESS, JvmArgs.OPEN_INTERNAL_MISC, JvmArgs.OPEN_NIO,
        JvmArgs.EXPORT_INTERNAL_REF, JvmArgs.UNSAFE_ALLOWED, JvmArgs.SERIAL_GC})
public class MappedI64Bench {

    static final int LENGTH = StrideCursor.LENGTH;
    static final long BYTES = LENGTH * Long.BYTES;
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle().withInvokeExactBehavior();

    private Arena arena;
    private MemorySegment segment;
    private AtomicLongArray heap;
    private MappedByteBuffer agronaMapping;
    private UnsafeBuffer agrona;


    @Setup(Level.Trial)
    public void map() throws IOException {
        Path dir = ShmFiles.root();
        Path segmentFile = ShmFiles.createTemp(dir, "plenum-bench-segment-", BYTES);
        Path bufferFile = ShmFiles.createTemp(dir, "plenum-bench-agrona-", BYTES);
        try {
            arena = Arena.ofShared();
            segment = ShmFiles.mapSegment(segmentFile, BYTES, arena);
            agronaMapping = ShmFiles.mapBuffer(bufferFile, BYTES);
            agrona = new UnsafeBuffer(agronaMapping);
            heap = new AtomicLongArray(LENGTH);
        } finally {
            // The mappings stay valid after unlink, and nothing is left behind if the fork dies.
            Files.deleteIfExists(segmentFile);
            Files.deleteIfExists(bufferFile);
        }
    }

    @TearDown(Level.Trial)
    public void unmap() {
        arena.close();
        IoUtil.unmap(agronaMapping);
    }

    @Benchmark
    public long get_plenum(StrideCursor c) {
        return (long) LONG.getVolatile(segment, (long) c.next() << 3);
    }

    @Benchmark
    public long get_heap(StrideCursor c) {
        return heap.get(c.next());
    }

    @Benchmark
    public long get_agrona(StrideCursor c) {
        return agrona.getLongVolatile(c.next() << 3);
    }

    @Benchmark
    public void set_plenum(StrideCursor c) {
        long value = c.step();
        LONG.setVolatile(segment, (long) c.next() << 3, value);
    }

    @Benchmark
    public void set_heap(StrideCursor c) {
        long value = c.step();
        heap.set(c.next(), value);
    }

    @Benchmark
    public void set_agrona(StrideCursor c) {
        long value = c.step();
        agrona.putLongVolatile(c.next() << 3, value);
    }

    @Benchmark
    public boolean cas_plenum(StrideCursor c) {
        long expected = c.lap();
        return c.checked((boolean) LONG.compareAndSet(segment, (long) c.next() << 3, expected, expected + 1));
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

    @Benchmark
    public long getAndAdd_plenum(StrideCursor c) {
        return (long) LONG.getAndAdd(segment, (long) c.next() << 3, 1L);
    }

    @Benchmark
    public long getAndAdd_heap(StrideCursor c) {
        return heap.getAndAdd(c.next(), 1L);
    }

    @Benchmark
    public long getAndAdd_agrona(StrideCursor c) {
        return agrona.getAndAddLong(c.next() << 3, 1L);
    }
}
