package io.plenum.bench.xp.scenario;

import io.plenum.bench.heap.HeapBitmapPool;
import io.plenum.bench.xp.Operation;
import io.plenum.bench.xp.WorkerContext;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code heap} column of {@code pool.I64.handoff_spin} and {@code pool.I64.handoff_suspended}:
 * the protocol of {@link PoolHandoffPlenum}, operation for operation, by two threads of one JVM
 * passing the one slot of a {@link HeapBitmapPool}. {@link HeapBitmapPool} cannot wait, so the
 * wait is built the JDK's way:
 *
 * <ul>
 *   <li>spin: spin on {@code tryAlloc()} a while, then publish the waiting thread and
 *       {@link LockSupport#parkNanos}; free unparks it.</li>
 *   <li>suspended: publish a {@link CompletableFuture} and wait on it; free completes it, and
 *       the waiter allocates.</li>
 * </ul>
 * Both publish-then-recheck against free-then-read (all volatile), so no wake is lost. No
 * histogram of the handoff itself (the Plenum column prints one); the {@code ns} row compares.
 * Afterwards the slot must be free.
 */
public final class PoolHandoffHeap extends HeapThreadsScenario {
    private static final Duration PATIENCE = Duration.ofMillis(200);
    private static final int SPINS = 1_000;

    private final boolean suspended;
    private final HeapBitmapPool pool = new HeapBitmapPool(1);
    private final AtomicLong announced = new AtomicLong();
    /** How many times the slot has been taken: the freer waits for the next. */
    private final AtomicLong handoffs = new AtomicLong();
    private final AtomicReference<Thread> parked = new AtomicReference<>();
    private final AtomicReference<CompletableFuture<Void>> pending = new AtomicReference<>();

    public PoolHandoffHeap(boolean suspended) {
        super(suspended ? "pool.I64.handoff_suspended" : "pool.I64.handoff_spin", 2, 1);
        this.suspended = suspended;
    }

    @Override
    public Operation prepare(WorkerContext ctx) {
        return () -> {
            long mine = announced.incrementAndGet();
            int slot = acquire();
            if (slot < 0) {
                return 0; // the other thread has stopped (end of its measurement)
            }
            long taken = handoffs.incrementAndGet();
            long stamp = pool.get(slot);
            long handoff = System.nanoTime() - stamp;
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (!otherWaits(mine) && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            pool.set(slot, System.nanoTime());
            release(slot);
            // Do not take the slot back before the other thread has it.
            while (handoffs.get() == taken && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            return handoff;
        };
    }

    /** The slot, or -1 after {@link #PATIENCE}. */
    private int acquire() {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        for (int spins = 0; ; spins++) {
            int slot = pool.tryAlloc();
            long left = deadline - System.nanoTime();
            if (slot >= 0 || left <= 0) {
                return slot;
            }
            if (!suspended && spins < SPINS) {
                Thread.onSpinWait();
            } else if (!suspended) {
                parked.set(Thread.currentThread());
                if ((slot = pool.tryAlloc()) < 0) {
                    LockSupport.parkNanos(left);
                }
                parked.set(null);
                if (slot >= 0) {
                    return slot;
                }
            } else {
                CompletableFuture<Void> wake = new CompletableFuture<>();
                pending.set(wake);
                if ((slot = pool.tryAlloc()) >= 0) {
                    pending.compareAndSet(wake, null);
                    return slot;
                }
                try {
                    wake.get(left, TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    pending.compareAndSet(wake, null);
                } catch (InterruptedException | ExecutionException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private void release(int slot) {
        pool.free(slot);
        Thread waiter = parked.get();
        if (waiter != null) {
            LockSupport.unpark(waiter);
        }
        CompletableFuture<Void> wake = pending.getAndSet(null);
        if (wake != null) {
            wake.complete(null);
        }
    }

    /** True once the other thread has announced its wait (and, suspended, published its future). */
    private boolean otherWaits(long mine) {
        return announced.get() > mine && (!suspended || pending.get() != null);
    }

    @Override
    long result() {
        return used(pool);
    }

    @Override
    void check(long used, long totalOps) {
        if (used != 0) {
            throw new IllegalStateException(id() + ": the slot is still in use after " + totalOps + " operations");
        }
    }
}
