package io.plenum.bench.xp.scenario;

import io.plenum.bench.heap.HeapBitmapPool;
import io.plenum.bench.xp.Operation;
import io.plenum.bench.xp.WorkerContext;

/**
 * {@code heap} column of the cross-process {@code pool.I64.alloc_free[capacity=N]} rows: the
 * row's threads, in one JVM, allocate and free a slot of one {@link HeapBitmapPool} of N slots.
 * Afterwards no slot may be in use.
 */
public final class PoolAllocFreeHeap extends HeapThreadsScenario {
    private final HeapBitmapPool pool;

    public PoolAllocFreeHeap(int processes, int capacity) {
        super("pool.I64.alloc_free[capacity=" + capacity + "]", processes, 1);
        this.pool = new HeapBitmapPool(capacity);
    }

    @Override
    public Operation prepare(WorkerContext ctx) {
        return () -> {
            int slot = alloc(pool);
            pool.free(slot);
            return slot;
        };
    }

    @Override
    long result() {
        return used(pool);
    }

    @Override
    void check(long used, long totalOps) {
        if (used != 0) {
            throw new IllegalStateException(id() + ": " + used + " slots still in use after " + totalOps + " operations");
        }
    }
}
