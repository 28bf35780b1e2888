package io.plenum.bench.xp.scenario;

import io.plenum.bench.report.Row;
import io.plenum.pool.PoolOptions;
import io.plenum.bench.xp.CrossProcessScenario;
import io.plenum.pool.PoolStats;
import io.plenum.pool.SharedLongPool;
import io.plenum.pool.SlotPool;
import io.plenum.segment.Backing;
import io.plenum.segment.OpenMode;
import java.nio.file.Path;

/**
 * A cross-process workload on one Plenum slot pool, created by the parent in the scenario's
 * directory; every worker opens it. Afterwards the pool must have no slot in use and exactly as
 * many allocations and frees as the workers counted operations (warm-up included).
 */
abstract class PoolScenario implements CrossProcessScenario {
    static final String FILE = "pool";

    private final String row;
    private final int processes;
    final int capacity;

    PoolScenario(String row, int processes, int capacity) {
        this.row = row;
        this.processes = processes;
        this.capacity = capacity;
    }

    @Override
    public String row() {
        return row;
    }

    @Override
    public String column() {
        return Row.PLENUM;
    }

    @Override
    public int processes() {
        return processes;
    }

    @Override
    public void setup(Path dir) {
        create(Backing.file(dir.resolve(FILE))).close();
    }

    /** Creates the pool (a long pool unless overridden). */
    SlotPool create(Backing backing) {
        return SharedLongPool.open(PoolOptions.of(backing).withMode(OpenMode.CREATE_NEW).withCapacity(capacity));
    }

    /** Opens the pool in a worker, for the life of the worker JVM. */
    static SharedLongPool openLongPool(Path dir) {
        return SharedLongPool.open(PoolOptions.of(Backing.file(dir.resolve(FILE))).withMode(OpenMode.OPEN_EXISTING));
    }

    /** {@link SharedLongPool#alloc()} for operations, which cannot throw checked exceptions. */
    static int alloc(SharedLongPool pool) {
        try {
            return pool.alloc();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void verify(Path dir, long totalOps) {
        try (SlotPool pool = SharedLongPool.open(PoolOptions.of(Backing.file(dir.resolve(FILE))).withMode(OpenMode.OPEN_EXISTING))) {
            PoolStats stats = pool.stats();
            verify(stats, totalOps);
        }
    }

    /** By default: one alloc and one free per operation, nothing left in use. */
    void verify(PoolStats stats, long totalOps) {
        if (stats.used() != 0 || stats.allocs() != totalOps || stats.frees() != totalOps) {
            throw new IllegalStateException(id() + ": " + totalOps + " operations counted, but the pool says " + stats);
        }
    }
}
