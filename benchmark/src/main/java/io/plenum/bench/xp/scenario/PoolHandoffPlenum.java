package io.plenum.bench.xp.scenario;

import io.plenum.bench.memory.ShmFiles;
import io.plenum.bench.xp.Operation;
import io.plenum.bench.xp.WorkerContext;
import io.plenum.pool.PoolStats;
import io.plenum.pool.SharedLongPool;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Cross-JVM handoff of a slot from a free to a waiting allocation: two workers pass the one slot
 * of a pool back and forth. Each operation: announce the wait (a counter in shared memory) and
 * wait for the slot; hold it until the other worker has announced its own wait; write the time
 * into the slot, free it, and wait until the other worker has it (so as never to take it back
 * first). One operation thus spans about two handoffs, which is what the {@code ns} row shows.
 *
 * <p>The handoff itself is measured exactly as well: the receiver subtracts the time the freer
 * wrote into the slot from the time its allocation returned ({@link System#nanoTime()} is
 * CLOCK_MONOTONIC, one clock for every process), and counts it in a histogram in shared memory
 * (50 ns buckets); {@link #verify} prints its median and 99th percentile.
 *
 * <ul>
 *   <li>{@code pool.I64.handoff_spin}: the waiter blocks in {@code alloc()}; the freer frees as
 *       soon as it sees the announcement, so the waiter is in its short spin before the futex
 *       sleep: the spin path.</li>
 *   <li>{@code pool.I64.handoff_suspended}: the waiter calls {@code allocAsync()} and waits on the
 *       future; the freer frees once the waiter's reactor is registered on the pool's wait word
 *       ({@code waiters} > 0): the futex, reactor and future path that suspended coroutines take.</li>
 * </ul>
 */
public final class PoolHandoffPlenum extends PoolScenario {
    static final String HISTOGRAM = "handoff.hist";
    static final int BUCKETS = 4096;
    static final long BUCKET_NS = 50;
    /** After the buckets: how many waits the two workers have announced. */
    static final long ANNOUNCE_OFFSET = BUCKETS * 8L;
    static final long FILE_BYTES = ANNOUNCE_OFFSET + 64;
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final Duration PATIENCE = Duration.ofMillis(200);

    private final boolean suspended;

    public PoolHandoffPlenum(boolean suspended) {
        super(suspended ? "pool.I64.handoff_suspended" : "pool.I64.handoff_spin", 2, 1);
        this.suspended = suspended;
    }

    @Override
    public void setup(Path dir) {
        super.setup(dir);
        try {
            ShmFiles.create(dir.resolve(HISTOGRAM), FILE_BYTES);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Operation prepare(WorkerContext ctx) throws IOException {
        SharedLongPool pool = openLongPool(ctx.dir());
        MemorySegment shared = ShmFiles.mapSegment(ctx.dir().resolve(HISTOGRAM), FILE_BYTES, Arena.ofShared());
        return () -> {
            // Announce that this worker is about to wait; the holder frees only after it sees this.
            long announced = (long) LONG.getAndAdd(shared, ANNOUNCE_OFFSET, 1L) + 1;
            Integer slot = acquire(pool);
            if (slot == null) {
                return 0; // the other worker has stopped (end of its measurement)
            }
            long stamp = pool.get(slot);
            long handoff = System.nanoTime() - stamp;
            if (stamp != 0 && handoff > 0) {
                LONG.getAndAdd(shared, 8L * Math.min(handoff / BUCKET_NS, BUCKETS - 1), 1L);
            }
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (!otherWaits(pool, shared, announced) && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            pool.set(slot, System.nanoTime());
            pool.free(slot);
            // Do not take the slot back before the other worker has it.
            while (!pool.isAllocated(slot) && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            return handoff;
        };
    }

    private Integer acquire(SharedLongPool pool) {
        try {
            if (!suspended) {
                return pool.alloc(PATIENCE);
            }
            var future = pool.allocAsync();
            try {
                return future.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                future.cancel(false);
                return null;
            }
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** True once the other worker has announced its wait (and, suspended, its reactor is registered). */
    private boolean otherWaits(SharedLongPool pool, MemorySegment shared, long announced) {
        if ((long) LONG.getVolatile(shared, ANNOUNCE_OFFSET) <= announced) {
            return false;
        }
        return !suspended || pool.stats().waiters() > 0;
    }

    @Override
    public void verify(Path dir, long totalOps) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment histogram = ShmFiles.mapSegment(dir.resolve(HISTOGRAM), FILE_BYTES, arena);
            long total = 0;
            for (int i = 0; i < BUCKETS; i++) {
                total += histogram.getAtIndex(ValueLayout.JAVA_LONG, i);
            }
            System.out.printf("%s: %d handoffs, median %s, p99 %s%n", row(), total, percentile(histogram, total, 0.5),
                    percentile(histogram, total, 0.99));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String percentile(MemorySegment histogram, long total, double fraction) {
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += histogram.getAtIndex(ValueLayout.JAVA_LONG, i);
            if (seen >= fraction * total) {
                return i == BUCKETS - 1 ? ">" + (BUCKETS - 1) * BUCKET_NS / 1000.0 + " us"
                        : String.format("%.2f us", (i + 0.5) * BUCKET_NS / 1000.0);
            }
        }
        return "n/a";
    }

    @Override
    void verify(PoolStats stats, long totalOps) {
    }
}
