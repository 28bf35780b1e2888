package io.plenum.bench.jmh;

import io.plenum.bench.JvmArgs;
import io.plenum.sync.LockOptions;
import io.plenum.bench.memory.ShmFiles;
import io.plenum.segment.Backing;
import io.plenum.segment.OpenMode;
import io.plenum.sync.LockResult;
import io.plenum.sync.SharedRwLock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
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
 * Uncontended read lock + unlock and write lock + unlock, one thread: {@link SharedRwLock}
 * standalone in a {@code /dev/shm} segment ({@code plenum}) against
 * {@link ReentrantReadWriteLock} ({@code heap}, non-fair, its lock views kept in fields as
 * callers do). The read section reads a heap field, the write section increments it, in both
 * columns. Agrona has no lock to compare with.
 */
@RowPrefix("lock.rw")
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {JvmArgs.NATIVE_ACCESS, JvmArgs.OPEN_INTERNAL_MISC, JvmArgs.OPEN_NIO,
        JvmArgs.EXPORT_INTERNAL_REF, JvmArgs.UNSAFE_ALLOWED, JvmArgs.SERIAL_GC})
public class RwLockBench {

    private SharedRwLock lock;
    private Lock heapRead;
    private Lock heapWrite;
    private long value;
    private long notAcquired;

    @Setup(Level.Trial)
    public void open() {
        lock = SharedRwLock.open(LockOptions.of(Backing.file(ShmFiles.freshPath("plenum-bench-rwlock-"))).withMode(OpenMode.CREATE_NEW));
        lock.segment().unlink(); // the mapping stays; nothing is left behind if the fork dies
        ReentrantReadWriteLock heap = new ReentrantReadWriteLock();
        heapRead = heap.readLock();
        heapWrite = heap.writeLock();
    }

    @TearDown(Level.Trial)
    public void close() {
        lock.close();
        if (notAcquired != 0) {
            throw new IllegalStateException(notAcquired + " uncontended SharedRwLock acquisitions did not acquire");
        }
    }

    @Benchmark
    public long read_lock_unlock_plenum() {
        LockResult result = lock.readLock();
        try {
            notAcquired += result == LockResult.ACQUIRED ? 0 : 1;
            return value;
        } finally {
            lock.readUnlock();
        }
    }

    @Benchmark
    public long read_lock_unlock_heap() {
        heapRead.lock();
        try {
            return value;
        } finally {
            heapRead.unlock();
        }
    }

    @Benchmark
    public long write_lock_unlock_plenum() {
        LockResult result = lock.writeLock();
        try {
            notAcquired += result == LockResult.ACQUIRED ? 0 : 1;
            return ++value;
        } finally {
            lock.writeUnlock();
        }
    }

    @Benchmark
    public long write_lock_unlock_heap() {
        heapWrite.lock();
        try {
            return ++value;
        } finally {
            heapWrite.unlock();
        }
    }
}
