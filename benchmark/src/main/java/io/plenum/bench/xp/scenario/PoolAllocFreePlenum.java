package io.plenum.bench.xp.scenario;

import io.plenum.bench.xp.Operation;
import io.plenum.bench.xp.WorkerContext;
import io.plenum.pool.SharedLongPool;

/**
 * {@code pool.I64.alloc_free[capacity=N]}: every worker allocates a slot and frees it, as fast as it
 * can, on a pool of N slots: the multi-process alloc/free row of Data::Pool::Shared (capacity 64)
 * and its contention-by-capacity series.
 */
public final class PoolAllocFreePlenum extends PoolScenario {

    public PoolAllocFreePlenum(int processes, int capacity) {
        super("pool.I64.alloc_free[capacity=" + capacity + "]", processes, capacity);
    }

    @Override
    public Operation prepare(WorkerContext ctx) {
        SharedLongPool pool = openLongPool(ctx.dir());
        return () -> {
            int slot = alloc(pool);
            pool.free(slot);
            return slot;
        };
    }
}
