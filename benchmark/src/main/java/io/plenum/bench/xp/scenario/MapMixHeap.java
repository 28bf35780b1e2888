package io.plenum.bench.xp.scenario;

import io.plenum.bench.xp.Operation;
import io.plenum.bench.xp.WorkerContext;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code heap} column of {@code map.mix90}: the same mix by the threads of ONE worker JVM on a
 * {@link ConcurrentHashMap} (no heap map spans processes, so this column exists only in the
 * 1-process shape, next to {@link MapMixPlenum} with the same shape).
 */
public final class MapMixHeap extends MapMixScenario {

    /** Shared by the threads of the worker JVM; filled by the first thread to prepare. */
    private static ConcurrentHashMap<Long, Long> shared;

    public MapMixHeap(int threads) {
        super(1, threads);
    }

    @Override
    public String column() {
        return "heap";
    }

    private static synchronized ConcurrentHashMap<Long, Long> map() {
        if (shared == null) {
            shared = new ConcurrentHashMap<>();
            for (long k = 0; k < KEYS; k++) {
                shared.put(k, k);
            }
        }
        return shared;
    }

    @Override
    public Operation prepare(WorkerContext ctx) {
        ConcurrentHashMap<Long, Long> map = map();
        return mix(new LongMap() {
            @Override
            public long get(long key) {
                return map.get(key);
            }

            @Override
            public void put(long key, long value) {
                map.put(key, value);
            }
        }, ctx);
    }
}
