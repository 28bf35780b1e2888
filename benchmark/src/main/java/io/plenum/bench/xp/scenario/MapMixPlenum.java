package io.plenum.bench.xp.scenario;

import io.plenum.bench.report.Row;
import io.plenum.bench.xp.Operation;
import io.plenum.bench.xp.WorkerContext;
import io.plenum.map.MapOptions;
import io.plenum.map.SharedMap;
import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code plenum} column of {@code map.mix90}: one Long to Long {@code SharedMap} in a
 * {@code /dev/shm} file, opened (create-or-attach) by every worker thread, read with the
 * allocation-free {@code getLong} and written with {@code putLong}.
 */
public final class MapMixPlenum extends MapMixScenario {

    public MapMixPlenum(int processes, int threads) {
        super(processes, threads);
    }

    @Override
    public String column() {
        return Row.PLENUM;
    }

    @Override
    public void setup(Path dir) {
        try (SharedMap<Long, Long> map = SharedMap.ofLongs(MapOptions.of(dir.resolve(FILE)))) {
            for (long k = 0; k < KEYS; k++) {
                map.putLong(k, k);
            }
        }
    }

    @Override
    public Operation prepare(WorkerContext ctx) throws IOException {
        // Open for the life of the worker JVM, which exits when it has reported.
        SharedMap<Long, Long> map = SharedMap.ofLongs(MapOptions.of(ctx.dir().resolve(FILE)));
        return mix(new LongMap() {
            @Override
            public long get(long key) {
                return map.getLong(key, -1);
            }

            @Override
            public void put(long key, long value) {
                map.putLong(key, value);
            }
        }, ctx);
    }

    @Override
    public void verify(Path dir, long totalOps) {
        try (SharedMap<Long, Long> map = SharedMap.ofLongs(MapOptions.of(dir.resolve(FILE)))) {
            if (map.size() != KEYS) {
                throw new IllegalStateException(id() + ": " + map.size() + " entries, expected " + KEYS);
            }
        }
    }
}
