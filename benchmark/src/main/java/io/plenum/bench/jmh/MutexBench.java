package io.plenum.bench.jmh;

import io.plenum.bench.JvmArgs;
import io.plenum.sync.LockOptions;
import io.plenum.bench.memory.ShmFiles;
import io.plenum.segment.Backing;
import io.plenum.segment.OpenMode;
import io.plenum.sync.LockResult;
import io.plenum.sync.SharedMutex;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
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
 * Uncontended lock + unlock, one thread: {@link SharedMutex} standalone in a {@code /dev/shm}
 * segment ({@code plenum}) against {@link ReentrantLock} ({@code heap}). The critical section
 * increments a heap counter in both columns. Agrona has no lock to compare with.
 */
@RowPrefix("lock.mutex")
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {JvmArgs.NATIVE_ACCESS, JvmArgs.OPEN_INTERNAL_MISC, JvmArgs.OPEN_NIO,
        JvmArgs.EXPORT_INTERNAL_REF, JvmArgs.UNSAFE_ALLOWED, JvmArgs.SERIAL_GC})
public class MutexBench {

    private SharedMutex mutex;
    private ReentrantLock heap;
    private long counter;
    private long notAcquired;

    @Setup(Level.Trial)
    public void open() {
        mutex = SharedMutex.open(LockOptions.of(Backing.file(ShmFiles.freshPath("plenum-bench-mutex-"))).withMode(OpenMode.CREATE_NEW));
        mutex.segment().unlink(); // the mapping stays; nothing is left behind if the fork dies
        heap = new ReentrantLock();
    }

    @TearDown(Level.Trial)
    public void close() {
        mutex.close();
        if (notAcquired != 0) {
            throw new IllegalStateException(notAcquired + " uncontended SharedMutex.lock() calls did not acquire");
        }
    }

    @Benchmark
    public long lock_unlock_plenum() {
        LockResult result = mutex.lock();
        try {
            notAcquired += result == LockResult.ACQUIRED ? 0 : 1;
            return ++counter;
        } finally {
            mutex.unlock();
        }
    }

    @Benchmark
    public long lock_unlock_heap() {
        heap.lock();
        try {
            return ++counter;
        } finally {
            heap.unlock();
        }
    }
}
