package io.plenum.bench.jmh;

import io.plenum.bench.JvmArgs;
import io.plenum.sync.LockOptions;
import io.plenum.bench.memory.ShmFiles;
import io.plenum.segment.Backing;
import io.plenum.segment.OpenMode;
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
import org.openjdk.jmh.annotations.Threads;

/**
 * Four threads of one JVM take turns on one lock, incrementing a heap counter inside:
 * {@link SharedMutex} ({@code plenum}) against non-fair {@link ReentrantLock} ({@code heap}).
 * The single-process reference for the cross-process {@code lock.mutex.contended} row
 * (2 processes × 2 threads, {@code MutexContendedScenario}), which has no peer: nothing else
 * locks across processes.
 */
@RowPrefix("lock.mutex")
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(4)
@Fork(value = 1, jvmArgsAppend = {JvmArgs.NATIVE_ACCESS, JvmArgs.OPEN_INTERNAL_MISC, JvmArgs.OPEN_NIO,
        JvmArgs.EXPORT_INTERNAL_REF, JvmArgs.UNSAFE_ALLOWED, JvmArgs.SERIAL_GC})
public class MutexContendedBench {

    private SharedMutex mutex;
    private ReentrantLock heap;
    private long counter;

    @Setup(Level.Trial)
    public void open() {
        mutex = SharedMutex.open(LockOptions.of(Backing.file(ShmFiles.freshPath("plenum-bench-mutex-"))).withMode(OpenMode.CREATE_NEW));
        mutex.segment().unlink(); // the mapping stays; nothing is left behind if the fork dies
        heap = new ReentrantLock();
    }

    @TearDown(Level.Trial)
    public void close() {
        if (mutex.isLocked()) {
            throw new IllegalStateException("SharedMutex still held after the run: " + mutex.describeHolder());
        }
        mutex.close();
    }

    @Benchmark
    public long contended_plenum() {
        mutex.lock();
        try {
            return ++counter;
        } finally {
            mutex.unlock();
        }
    }

    @Benchmark
    public long contended_heap() {
        heap.lock();
        try {
            return ++counter;
        } finally {
            heap.unlock();
        }
    }
}
