package io.plenum.bench.xp.scenario;

import io.plenum.bench.xp.Operation;
import io.plenum.bench.xp.WorkerContext;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code heap} column of the cross-process {@code lock.mutex.contended} row: the row's
 * processes × threads, as threads of one JVM, take one non-fair {@link ReentrantLock} and
 * increment a plain counter inside. Afterwards the counter must equal the operations counted.
 */
public final class MutexContendedHeap extends HeapThreadsScenario {
    private final ReentrantLock lock = new ReentrantLock();
    private long counter; // guarded by lock

    public MutexContendedHeap(int processes, int threads) {
        super("lock.mutex.contended", processes, threads);
    }

    @Override
    public Operation prepare(WorkerContext ctx) {
        return () -> {
            lock.lock();
            try {
                return ++counter;
            } finally {
                lock.unlock();
            }
        };
    }

    @Override
    long result() {
        lock.lock();
        try {
            return counter;
        } finally {
            lock.unlock();
        }
    }

    @Override
    void check(long counter, long totalOps) {
        if (counter != totalOps) {
            throw new IllegalStateException(id() + ": the counter guarded by the lock is " + counter
                    + " but the threads counted " + totalOps + " increments");
        }
    }
}
