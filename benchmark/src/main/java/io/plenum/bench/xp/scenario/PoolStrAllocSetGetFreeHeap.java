package io.plenum.bench.xp.scenario;

import io.plenum.bench.heap.HeapBitmapPool;
import io.plenum.bench.heap.HeapStringSlots;
import io.plenum.bench.xp.Operation;
import io.plenum.bench.xp.WorkerContext;

/**
 * {@code heap} column of the cross-process {@code pool.Str.alloc_set_get_free} row: allocate a
 * slot of a 64-slot {@link HeapBitmapPool}, write the 48-byte string into {@link HeapStringSlots}
 * (UTF-8, as Plenum does), read it back, free the slot, on the row's threads in one JVM. The
 * allocation's and the free's CAS order the slot's plain bytes between holders.
 */
public final class PoolStrAllocSetGetFreeHeap extends HeapThreadsScenario {
    private final HeapBitmapPool pool = new HeapBitmapPool(64);
    private final HeapStringSlots strings = new HeapStringSlots(64, 64);

    public PoolStrAllocSetGetFreeHeap(int processes) {
        super("pool.Str.alloc_set_get_free", processes, 1);
    }

    @Override
    public Operation prepare(WorkerContext ctx) {
        String value = PoolStrAllocSetGetFreePlenum.VALUE;
        return () -> {
            int slot = alloc(pool);
            strings.set(slot, value);
            String read = strings.get(slot);
            pool.free(slot);
            if (!read.equals(value)) {
                throw new IllegalStateException("slot " + slot + " held " + read);
            }
            return read.length();
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
