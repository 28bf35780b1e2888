package io.plenum.bench.xp.scenario;

import io.plenum.bench.xp.Operation;
import io.plenum.pool.PoolOptions;
import io.plenum.bench.xp.WorkerContext;
import io.plenum.pool.PoolStats;
import io.plenum.pool.SharedLongPool;
import io.plenum.segment.Backing;
import io.plenum.segment.OpenMode;
import java.nio.file.Path;

/**
 * {@code pool.I64.add}: each worker allocates one slot and adds 1 to it atomically, over and over
 * (Data::Pool::Shared's "I64 atomic add"). The slots are neighbours in memory, as the allocator
 * hands them out. Afterwards the slots must sum to the operations counted.
 */
public final class PoolAtomicAddPlenum extends PoolScenario {

    public PoolAtomicAddPlenum(int processes) {
        super("pool.I64.add", processes, 64);
    }

    @Override
    public Operation prepare(WorkerContext ctx) throws java.io.IOException {
        SharedLongPool pool = openLongPool(ctx.dir());
        int slot;
        try {
            slot = pool.allocAndSet(0);
        } catch (InterruptedException e) {
            throw new java.io.InterruptedIOException("interrupted");
        }
        return () -> pool.addAndGet(slot, 1L);
    }

    @Override
    public void verify(Path dir, long totalOps) {
        try (SharedLongPool pool = SharedLongPool.open(PoolOptions.of(Backing.file(dir.resolve(FILE))).withMode(OpenMode.OPEN_EXISTING))) {
            long sum = 0;
            for (int slot : pool.allocatedSlots()) {
                sum += pool.get(slot);
            }
            if (sum != totalOps) {
                throw new IllegalStateException(id() + ": the slots sum to " + sum + ", the workers counted " + totalOps);
            }
        }
    }

    @Override
    void verify(PoolStats stats, long totalOps) {
    }
}
