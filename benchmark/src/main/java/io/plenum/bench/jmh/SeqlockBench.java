package io.plenum.bench.jmh;

import io.plenum.bench.JvmArgs;
import io.plenum.bench.memory.ShmFiles;
import io.plenum.sync.LockResult;
import io.plenum.sync.OwnerTable;
import io.plenum.sync.Seqlock;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.StampedLock;
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
 * Uncontended seqlock read and write of two longs, one thread: {@link Seqlock} embedded with
 * its data and an {@link OwnerTable} in a mapped {@code /dev/shm} file ({@code plenum}),
 * against {@link StampedLock} guarding two heap fields ({@code heap}): optimistic read
 * ({@code tryOptimisticRead}, read, {@code validate}) and {@code writeLock}/{@code unlockWrite}.
 * Agrona has no seqlock to compare with.
 *
 * <pre>
 *  0               32              48              64
 *  +---------------+---------------+---------------+------------------------+
 *  | Seqlock       | a i64 | b i64 | (padding)     | OwnerTable, 4 entries  |
 *  +---------------+---------------+---------------+------------------------+
 * </pre>
 */
@RowPrefix("lock.seqlock")
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {JvmArgs.NATIVE_ACCESS, JvmArgs.OPEN_INTERNAL_MISC, JvmArgs.OPEN_NIO,
        JvmArgs.EXPORT_INTERNAL_REF, JvmArgs.UNSAFE_ALLOWED, JvmArgs.SERIAL_GC})
public class SeqlockBench {

    private static final long A = Seqlock.SIZE;
    private static final long B = A + Long.BYTES;
    private static final long OWNERS = 64;
    private static final int OWNER_ENTRIES = 4;
    private static final long BYTES = OWNERS + OwnerTable.bytesFor(OWNER_ENTRIES);

    private Arena arena;
    private MemorySegment memory;
    private Seqlock seqlock;
    private StampedLock heap;
    private long heapA;
    private long heapB;
    private long failures;

    @Setup(Level.Trial)
    public void map() throws IOException {
        Path file = ShmFiles.createTemp(ShmFiles.root(), "plenum-bench-seqlock-", BYTES);
        try {
            arena = Arena.ofShared();
            memory = ShmFiles.mapSegment(file, BYTES, arena);
        } finally {
            Files.deleteIfExists(file); // the mapping stays; nothing is left behind if the fork dies
        }
        Seqlock.initialize(memory, 0);
        OwnerTable.initialize(memory, OWNERS, OWNER_ENTRIES);
        seqlock = Seqlock.embedded(memory, 0, new OwnerTable(memory, OWNERS, OWNER_ENTRIES, file.toString()));
        heap = new StampedLock();
    }

    @TearDown(Level.Trial)
    public void unmap() {
        arena.close();
        if (failures != 0) {
            throw new IllegalStateException(failures + " uncontended seqlock reads failed to validate or writes "
                    + "did not simply acquire");
        }
    }

    @Benchmark
    public long read_plenum() {
        int stamp = seqlock.beginRead();
        long a = memory.get(ValueLayout.JAVA_LONG, A);
        long b = memory.get(ValueLayout.JAVA_LONG, B);
        failures += seqlock.validate(stamp) ? 0 : 1;
        return a + b;
    }

    @Benchmark
    public long read_heap() {
        long stamp = heap.tryOptimisticRead();
        long a = heapA;
        long b = heapB;
        failures += heap.validate(stamp) ? 0 : 1;
        return a + b;
    }

    @Benchmark
    public long write_plenum() {
        LockResult result = seqlock.beginWrite();
        try {
            failures += result == LockResult.ACQUIRED ? 0 : 1;
            long a = memory.get(ValueLayout.JAVA_LONG, A) + 1;
            memory.set(ValueLayout.JAVA_LONG, A, a);
            memory.set(ValueLayout.JAVA_LONG, B, -a);
            return a;
        } finally {
            seqlock.endWrite();
        }
    }

    @Benchmark
    public long write_heap() {
        long stamp = heap.writeLock();
        try {
            long a = heapA + 1;
            heapA = a;
            heapB = -a;
            return a;
        } finally {
            heap.unlockWrite(stamp);
        }
    }
}
