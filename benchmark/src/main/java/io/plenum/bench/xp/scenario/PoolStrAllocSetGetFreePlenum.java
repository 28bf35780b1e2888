package io.plenum.bench.xp.scenario;

import io.plenum.bench.xp.Operation;
import io.plenum.pool.PoolOptions;
import io.plenum.bench.xp.WorkerContext;
import io.plenum.pool.PoolStats;
import io.plenum.pool.SharedStringPool;
import io.plenum.pool.SlotPool;
import io.plenum.segment.Backing;
import io.plenum.segment.OpenMode;
import java.nio.file.Path;

/**
 * {@code pool.Str.alloc_set_get_free}: allocate a slot holding a 48-byte string, read it back
 * (it must be equal), free it; 64 slots of up to 64 bytes.
 */
public final class PoolStrAllocSetGetFreePlenum extends PoolScenario {
    static final String VALUE = "0123456789abcdef0123456789abcdef0123456789abcdef";

    public PoolStrAllocSetGetFreePlenum(int processes) {
        super("pool.Str.alloc_set_get_free", processes, 64);
    }

    @Override
    SlotPool create(Backing backing) {
        return SharedStringPool.open(PoolOptions.of(backing).withMode(OpenMode.CREATE_NEW).withCapacity(capacity).withMaxLength(64));
    }

    @Override
    public Operation prepare(WorkerContext ctx) {
        SharedStringPool pool = SharedStringPool.open(PoolOptions.of(ctx.dir().resolve(FILE)).withMode(OpenMode.OPEN_EXISTING));
        return () -> {
            int slot;
            try {
                slot = pool.allocAndSet(VALUE);
            } catch (InterruptedException e) {
                throw new IllegalStateException("interrupted", e);
            }
            String read = pool.get(slot);
            pool.free(slot);
            if (!read.equals(VALUE)) {
                throw new IllegalStateException("slot " + slot + " held " + read);
            }
            return read.length();
        };
    }

    @Override
    public void verify(Path dir, long totalOps) {
        try (SlotPool pool = SharedStringPool.open(PoolOptions.of(Backing.file(dir.resolve(FILE))).withMode(OpenMode.OPEN_EXISTING))) {
            verify(pool.stats(), totalOps);
        }
    }

    @Override
    void verify(PoolStats stats, long totalOps) {
        super.verify(stats, totalOps);
    }
}
