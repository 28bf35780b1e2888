package io.plenum.bench.xp.scenario;

import io.plenum.bench.xp.Operation;
import io.plenum.bench.xp.WorkerContext;
import io.plenum.pool.SharedLongPool;

/**
 * {@code pool.I64.alloc_set_get_free}: allocate a slot, set a value, read it back (it must be the
 * value: no slot is ever handed to two holders), free it; 64 slots.
 */
public final class PoolAllocSetGetFreePlenum extends PoolScenario {

    public PoolAllocSetGetFreePlenum(int processes) {
        super("pool.I64.alloc_set_get_free", processes, 64);
    }

    @Override
    public Operation prepare(WorkerContext ctx) {
        SharedLongPool pool = openLongPool(ctx.dir());
        long[] next = {(long) ctx.worker() << 48};
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
}
