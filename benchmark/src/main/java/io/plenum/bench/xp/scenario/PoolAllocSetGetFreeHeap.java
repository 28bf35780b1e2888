package io.plenum.bench.xp.scenario;

import io.plenum.bench.heap.HeapBitmapPool;
import io.plenum.bench.xp.Operation;
import io.plenum.bench.xp.WorkerContext;

/**
 * {@code heap} column of the cross-process {@code pool.I64.alloc_set_get_free} row: allocate a
 * slot of a 64-slot {@link HeapBitmapPool}, set a value, read it back (it must be the value),
 * free it, on the row's threads in one JVM.
 */
public final class PoolAllocSetGetFreeHeap extends HeapThreadsScenario {
    private final HeapBitmapPool pool = new HeapBitmapPool(64);

    public PoolAllocSetGetFreeHeap(int processes) {
        super("pool.I64.alloc_set_get_free", processes, 1);
    }

    @Override
    public Operation prepare(WorkerContext ctx) {
        long[] next = {(long) ctx.thread() << 48};
        return () -> {
            long value = next[0]++;
            int slot = alloc(pool);
            pool.set(slot, value);
            long read = pool.get(slot);
            pool.free(slot);
            if (read != value) {
                throw new IllegalStateException("slot " + slot + " held " + read + ", not " + value);
            }
            return read;
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
