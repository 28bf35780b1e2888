package io.plenum.bench.xp.scenario;

import io.plenum.bench.heap.HeapBitmapPool;
import io.plenum.bench.xp.Operation;
import io.plenum.bench.xp.WorkerContext;

/**
 * {@code heap} column of the cross-process {@code pool.I64.add} row: each of the row's threads,
 * in one JVM, allocates one slot of a 64-slot {@link HeapBitmapPool} and adds 1 to it atomically
 * ({@code AtomicLongArray.addAndGet}), over and over. The slots are neighbours in one cache
 * line, as in the Plenum column. Afterwards the slots must sum to the operations counted.
 */
public final class PoolAtomicAddHeap extends HeapThreadsScenario {
    private final HeapBitmapPool pool = new HeapBitmapPool(64);

    public PoolAtomicAddHeap(int processes) {
        super("pool.I64.add", processes, 1);
    }

    @Override
    public Operation prepare(WorkerContext ctx) {
        int slot = alloc(pool);
        pool.set(slot, 0);
        return () -> pool.addAndGet(slot, 1L);
    }

    @Override
    long result() {
        long sum = 0;
        for (int slot = 0; slot < pool.capacity(); slot++) {
            sum += pool.get(slot);
        }
        return sum;
    }

    @Override
    void check(long sum, long totalOps) {
        if (sum != totalOps) {
            throw new IllegalStateException(id() + ": the slots sum to " + sum + ", the threads counted " + totalOps);
        }
    }
}
