package io.plenum.pool;

import io.plenum.sync.Waiting;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.time.Duration;

/**
 * Claims slots for one pool handle: now or waiting, one or all-or-nothing several, then publishes
 * them; frees; recovers dead owners' slots; keeps the statistics of {@link PoolLayout}. The
 * lock-free protocol underneath is {@link SlotAllocator}'s; this class adds the blocking wait and
 * the counting. {@link SlotPool} and {@link AsyncAllocator} both work through it.
 *
 * <h2>Waiting</h2>
 * A claim that finds the pool full reads {@code freeSignal}, tries again, spins briefly on the
 * signal ({@link Waiting#spin}), then sleeps on it ({@link Waiting#sleep}) in slices of at most
 * 50 ms, until a free bumps it, the deadline passes, or the thread is interrupted. After
 * {@link SlotPool#FIRST_RECOVERY} of waiting, then every {@link SlotPool#RECOVERY_INTERVAL}, it
 * frees dead owners' slots ({@link #recover}): a pool full of the dead never makes it wait for
 * ever. A claim for several slots is counted in {@code multiWaiters} while it waits, so that frees
 * wake every waiter and a single-slot waiter never loses its wake to it.
 *
 * <h2>Claims</h2>
 * The claiming calls return <em>claims</em>: a slot index, or {@link SlotAllocator#recoveredClaim
 * encoded} when the slot was RECOVERED (its last holder died); {@link SlotAllocator#slotOf} and
 * {@link SlotAllocator#wasRecovered} read them, and {@link #slots} turns an array of them into
 * slots. The recovery scans make dead owners' slots RECOVERED, so the allocation that takes such a
 * slot next learns it from its own claim.
 */
final class SlotClaims {
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final long FIRST_RECOVERY_NANOS = SlotPool.FIRST_RECOVERY.toNanos();
    private static final long RECOVERY_INTERVAL_NANOS = SlotPool.RECOVERY_INTERVAL.toNanos();

    final SlotAllocator allocator;
    private final MemorySegment memory;
    private final int capacity;
    private final String where;

    SlotClaims(SlotAllocator allocator, MemorySegment memory, int capacity, String where) {
        this.allocator = allocator;
        this.memory = memory;
        this.capacity = capacity;
        this.where = where;
    }

    /** This process's owner token. */
    int self() {
        return allocator.self();
    }

    /**
     * Claims {@code count} slots now, all or nothing, as CLAIMED (not yet visible as allocated; the
     * caller {@link #publishAll publishes} them); null when they are not all free. Returns claims.
     */
    int[] claimNow(int self, int count) {
        int busy = self | SlotAllocator.BUSY;
        if (count == 1) {
            int claim = allocator.claim(busy);
            return claim == SlotAllocator.NONE ? null : new int[] {claim};
        }
        if (!allocator.hasFree(count)) {
            return null;
        }
        int[] slots = new int[count];
        for (int i = 0; i < count; i++) {
            int claim = allocator.claim(busy);
            if (claim == SlotAllocator.NONE) {
                // Others took slots meanwhile: give back what we have (as the words they were), with one wake.
                for (int j = 0; j < i; j++) {
                    allocator.unclaim(slots[j]);
                }
                if (i > 0) {
                    allocator.signalFrees(i);
                }
                return null;
            }
            slots[i] = claim;
        }
        return slots;
    }

    /** Turns claims into slots, in place; returns the array. */
    static int[] slots(int[] claims) {
        for (int i = 0; i < claims.length; i++) {
            claims[i] = SlotAllocator.slotOf(claims[i]);
        }
        return claims;
    }

    /** True when any of the claims was RECOVERED. */
    static boolean anyRecovered(int[] claims) {
        for (int claim : claims) {
            if (SlotAllocator.wasRecovered(claim)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Takes one slot by writing {@code word} into its owner word (this process's token: the slot is
     * allocated; with BUSY: it is claimed and must be {@link #publish published}), waiting until
     * {@code deadline}; returns the claim, {@link SlotAllocator#NONE} when the deadline passed.
     */
    int claimOne(int word, long deadline) throws InterruptedException {
        int claim = allocator.claim(word);
        if (claim != SlotAllocator.NONE) {
            return claim;
        }
        int[] slots = claimWaiting(word, 1, deadline);
        return slots == null ? SlotAllocator.NONE : slots[0];
    }

    /**
     * Claims {@code count} slots, all or nothing, waiting until {@code deadline}; null when it
     * passed. Returns claims; the caller {@link #publishAll publishes} them.
     */
    int[] claimMany(int self, int count, long deadline) throws InterruptedException {
        int[] slots = claimNow(self, count);
        return slots != null ? slots : claimWaiting(self, count, deadline);
    }

    private int[] claimWaiting(int word, int count, long deadline) throws InterruptedException {
        countWait();
        if (count == 1) {
            return waitAndClaim(word, count, deadline);
        }
        allocator.multiWaiterIn();
        try {
            return waitAndClaim(word, count, deadline);
        } finally {
            allocator.multiWaiterOut();
        }
    }

    /** The wait loop; {@code word} is the owner word for one slot, the bare token for several. */
    private int[] waitAndClaim(int word, int count, long deadline) throws InterruptedException {
        long nextRecovery = System.nanoTime() + FIRST_RECOVERY_NANOS;
        while (true) {
            int signal = allocator.freeSignal();
            int[] slots;
            if (count == 1) {
                int claim = allocator.claim(word);
                slots = claim == SlotAllocator.NONE ? null : new int[] {claim};
            } else {
                slots = claimNow(word, count);
            }
            if (slots != null) {
                return slots;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException(where + ": interrupted while waiting for " + count
                        + (count == 1 ? " slot" : " slots"));
            }
            long now = System.nanoTime();
            if (deadline != Waiting.NO_DEADLINE && now - deadline >= 0) {
                LONG.getAndAdd(memory, PoolLayout.TIMEOUTS_OFFSET, 1L);
                return null;
            }
            if (now - nextRecovery >= 0) {
                nextRecovery = now + RECOVERY_INTERVAL_NANOS;
                if (recover() > 0) {
                    continue;
                }
            }
            if (Waiting.spin(memory, PoolLayout.FREE_SIGNAL_OFFSET, signal)) {
                continue;
            }
            long sleep = Math.min(Waiting.SLICE_NANOS, nextRecovery - now);
            if (deadline != Waiting.NO_DEADLINE) {
                sleep = Math.min(sleep, deadline - now);
            }
            Waiting.sleep(memory, PoolLayout.FREE_SIGNAL_OFFSET, signal, Math.max(sleep, 1));
        }
    }

    /** Makes a claimed slot visible as allocated. */
    void publish(int slot, int self) {
        allocator.settle(slot, self);
    }

    /** Makes claimed slots visible as allocated ({@code claims} as {@link #claimNow} returns them). */
    void publishAll(int[] claims, int self) {
        for (int claim : claims) {
            allocator.settle(SlotAllocator.slotOf(claim), self);
        }
    }

    /** Gives back a claimed, never published slot (a write into it failed). */
    void abandon(int slot) {
        allocator.abandon(slot);
        allocator.signalFrees(1);
    }

    /** Frees one slot held by {@code owner} and wakes a waiter; false when {@code owner} did not hold it. */
    boolean free(int slot, int owner) {
        if (!allocator.release(slot, owner)) {
            return false;
        }
        allocator.signalFrees(1);
        return true;
    }

    /**
     * Gives back slots this process allocated and nobody used ({@code claimed}: their claims), with
     * one wake: a RECOVERED one as RECOVERED, so that the next allocation is told it came from the
     * dead (a request that ended before it could take its slots, a guard given back unopened).
     * Returns how many this process held.
     */
    int giveBackAll(int... claimed) {
        int self = self();
        int given = 0;
        for (int claim : claimed) {
            if (allocator.giveBack(SlotAllocator.slotOf(claim), self, SlotAllocator.wasRecovered(claim))) {
                given++;
            }
        }
        if (given > 0) {
            allocator.signalFrees(given);
        }
        return given;
    }

    /**
     * Frees slots (checked by the caller) that this process holds, with one wake; returns how many
     * it held.
     */
    int freeAll(int[] slots) {
        return giveBackAll(slots); // bare slots: none was RECOVERED, so each is freed to 0
    }

    /**
     * Frees dead owners' slots (as RECOVERED, see {@link SlotAllocator}), counts them, wakes
     * waiters; returns how many. Also takes dead
     * processes' waiters out of {@code multiWaiters} ({@link MultiWaiters#heal}), so that every
     * waiter's recovery scans keep that count healed too.
     */
    int recover() {
        allocator.healMultiWaiters();
        int recovered = allocator.recoverDead(allocator.self()).recovered();
        if (recovered > 0) {
            LONG.getAndAdd(memory, PoolLayout.RECOVERIES_OFFSET, (long) recovered);
            allocator.signalFrees(recovered);
        }
        return recovered;
    }

    /** Counts an allocation that had to wait. */
    void countWait() {
        LONG.getAndAdd(memory, PoolLayout.WAITS_OFFSET, 1L);
    }

    /** A statistics counter of the control line. */
    long counter(long offset) {
        return (long) LONG.getVolatile(memory, offset);
    }

    /**
     * Raises the counter at {@code offset} to {@code value} unless it is higher, and returns the
     * higher of the two: a counter that no process ever sees decrease (see {@code allocsSeen} in
     * {@link PoolLayout}). Statistics path only; one CAS when the value grew.
     */
    long atLeastSeen(long offset, long value) {
        long seen = (long) LONG.getVolatile(memory, offset);
        while (value > seen) {
            long witness = (long) LONG.compareAndExchange(memory, offset, seen, value);
            if (witness == seen) {
                return value;
            }
            seen = witness;
        }
        return seen;
    }

    /** Frees everything, counting them as frees, and wakes every waiter (exclusive use only). */
    void reset() {
        int taken = allocator.clearAll();
        if (taken > 0) {
            allocator.signalFrees(taken);
        } else {
            allocator.wakeAnother();
        }
    }

    /** A {@link System#nanoTime()} deadline {@code timeout} from now (a negative timeout: now). */
    static long deadline(Duration timeout) {
        if (timeout == null) {
            throw new IllegalArgumentException("timeout is required (use the method without one to wait for ever)");
        }
        long nanos;
        try {
            nanos = timeout.isNegative() ? 0 : timeout.toNanos();
        } catch (ArithmeticException e) {
            nanos = Long.MAX_VALUE / 2;
        }
        long deadline = System.nanoTime() + nanos;
        return deadline == Waiting.NO_DEADLINE ? deadline - 1 : deadline;
    }
}
