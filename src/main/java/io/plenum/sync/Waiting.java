package io.plenum.sync;

import io.plenum.linux.Futex;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * Blocking waits on a 32-bit word in shared memory, and the wakes that go with them.
 *
 * <h2>The wait word</h2>
 * Every word that threads wait on is followed by its waiter count:
 * <pre>
 *  0               4               8
 *  +---------------+---------------+
 *  | value u32     | waiters u32   |   8 bytes, 8-aligned; value is the futex word
 *  +---------------+---------------+
 * </pre>
 * {@link #VALUE_OFFSET} and {@link #WAITERS_OFFSET} name the two; {@link #SIZE} is the pair.
 *
 * <h2>Protocol, and why no wake-up is lost</h2>
 * A waiter: (1) increments {@code waiters} (atomic add, a full fence); (2) reads {@code value}
 * (volatile) and leaves if it is no longer the expected one; (3) sleeps in {@code FUTEX_WAIT} on
 * {@code value}, which the kernel only does while the word still holds the expected value;
 * (4) decrements {@code waiters}.
 * A waker: (a) changes {@code value} (a volatile store or an atomic update); (b) reads
 * {@code waiters} (volatile); (c) calls {@code FUTEX_WAKE} only when it is non-zero.
 * Volatile accesses are sequentially consistent, so either the waker's (b) sees the waiter's (1),
 * and wakes it, or the waiter's (2) sees the waker's (a), and does not sleep. A waiter that was
 * counted but not yet asleep at (c) is protected by (3): the kernel compares the value under its
 * own lock and refuses to sleep on a changed word. So the uncontended path makes no syscall.
 *
 * <h2>The count, and how a dead waiter's count is taken out</h2>
 * <pre>
 *  waiters u32:  | epoch u12 (bits 20..31) | count u20 (bits 0..19) |
 * </pre>
 * Wakers test the count only ({@link #COUNT_MASK}). A process killed between (1) and (4) leaves
 * the count one too high: wakers then make one needless syscall per wake, and nothing blocks.
 * Nothing can tell a dead waiter's count from a live waiter that counted itself and is about to
 * sleep, so a count is never lowered below what its waiters put in; instead, a word whose value
 * is a pure signal (waiters only wait for it to move) can start its count again:
 * {@link #restartCount} sets the count to 0 in a new epoch, and the caller then moves the value
 * and wakes every sleeper ({@link #wakeAllNow}). That can lose no wake-up: a waiter counted in the
 * old epoch read its expected value before the restart, so after the move the kernel refuses its
 * sleep or the wake-all ends it, and it counts itself again in the new epoch on its next try. A
 * waiter's count-out ({@link #countOut}) is a no-op once the epoch moved on, so it never takes a
 * newer waiter's count. The pool does this when a free's {@code FUTEX_WAKE} found nobody asleep
 * while the count said otherwise (see {@code SlotAllocator}). A waiter that keeps its count
 * between sleeps (the per-JVM {@link Reactor}, which counts itself once per word it watches)
 * re-reads the epoch after reading the value it sleeps on, and counts itself again when it moved.
 * <p>A lock's word cannot move: its value is the holder. There {@link #restartLockCount} restarts
 * the count only after a handle's releases kept finding it stale for 100 ms ({@code OwnedWord}),
 * and only right after a release stored 0, which already moved the value away from every
 * holder a counted waiter expects, so the kernel refuses its sleep. One race is left: the same
 * process takes the lock again (the same token) before a waiter counted in the old epoch reaches
 * {@code FUTEX_WAIT}; that waiter then sleeps uncounted until its slice ends (at most
 * {@link #SLICE_NANOS}, or the reactor's idle rescan) and counts itself again. A delay, in a race
 * of a few instructions that only a stale count opens, never a lost lock or an endless wait.
 * At most {@link #COUNT_MASK} waiters can be counted on one word.
 *
 * <h2>Slices</h2>
 * A sleep lasts at most {@link #SLICE_NANOS} (50 ms), so that a blocked thread notices
 * {@link Thread#interrupt()} within that time and a lock waiter can check its holder's liveness.
 * Before sleeping, a waiter spins {@link #SPIN_TRIES} times: a wake-up through the kernel costs
 * about 10 µs, a spin that sees the change about 1 µs.
 *
 * <p>Deadlines are {@link System#nanoTime()} values; {@link #NO_DEADLINE} waits without limit.
 */
public final class Waiting {
    public static final long VALUE_OFFSET = 0;
    public static final long WAITERS_OFFSET = 4;
    public static final long SIZE = 8;
    /** The count's bits in the waiters word; the bits above are the epoch (see the class doc). */
    public static final int COUNT_MASK = (1 << 20) - 1;
    private static final int EPOCH_SHIFT = 20;
    /** The longest single futex sleep. */
    public static final long SLICE_NANOS = 50_000_000L;
    /** How often a waiter re-reads the word before it sleeps. */
    public static final int SPIN_TRIES = 200;
    /** A deadline that never comes. */
    public static final long NO_DEADLINE = Long.MAX_VALUE;
    /** What the wakes return when the count was 0, so no syscall was made. */
    public static final int NOBODY_COUNTED = -1;

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private Waiting() {
    }

    /**
     * Waits until the value at {@code offset} (a wait word, see the class doc) is no longer
     * {@code expected}, or until {@code deadlineNanos}. Returns true when the value changed, false
     * when the deadline passed first.
     *
     * @throws InterruptedException the thread was interrupted (noticed within one slice)
     */
    public static boolean await(MemorySegment memory, long offset, int expected, long deadlineNanos)
            throws InterruptedException {
        if (spin(memory, offset, expected)) {
            return true;
        }
        while (true) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            long left = deadlineNanos == NO_DEADLINE ? SLICE_NANOS : deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return value(memory, offset) != expected;
            }
            sleep(memory, offset, expected, Math.min(left, SLICE_NANOS));
            if (value(memory, offset) != expected) {
                return true;
            }
        }
    }

    /** Spins briefly; true when the value left {@code expected}. */
    public static boolean spin(MemorySegment memory, long offset, int expected) {
        for (int i = 0; i < SPIN_TRIES; i++) {
            if (value(memory, offset) != expected) {
                return true;
            }
            Thread.onSpinWait();
        }
        return false;
    }

    /**
     * One step of the protocol: counts this thread as a waiter, and sleeps at most
     * {@code timeoutNanos} while the value is {@code expected}. Returns at once if it is not. May
     * return early (a wake, a signal, a spurious wake-up): callers re-check their condition.
     */
    public static void sleep(MemorySegment memory, long offset, int expected, long timeoutNanos) {
        int counted = countIn(memory, offset);
        try {
            if ((int) INT.getVolatile(memory, offset + VALUE_OFFSET) == expected) {
                Futex.await(memory, offset + VALUE_OFFSET, expected, timeoutNanos);
            }
        } finally {
            countOut(memory, offset, counted);
        }
    }

    /**
     * Counts one waiter in (step 1 of the protocol: an atomic add, a full fence) and returns the
     * waiters word after it, which {@link #countOut} needs.
     */
    public static int countIn(MemorySegment memory, long offset) {
        return (int) INT.getAndAdd(memory, offset + WAITERS_OFFSET, 1) + 1;
    }

    /**
     * Counts out a waiter that {@link #countIn} returned {@code counted} for: a no-op when the
     * count was restarted since (another epoch), so that it never takes a newer waiter's count.
     */
    public static void countOut(MemorySegment memory, long offset, int counted) {
        long at = offset + WAITERS_OFFSET;
        int word = (int) INT.getVolatile(memory, at);
        while (sameEpoch(word, counted) && (word & COUNT_MASK) != 0) {
            int witness = (int) INT.compareAndExchange(memory, at, word, word - 1);
            if (witness == word) {
                return;
            }
            word = witness;
        }
    }

    /** Whether the count that {@link #countIn} returned {@code counted} for still stands. */
    public static boolean stillCounted(MemorySegment memory, long offset, int counted) {
        return sameEpoch((int) INT.getVolatile(memory, offset + WAITERS_OFFSET), counted);
    }

    private static boolean sameEpoch(int word, int counted) {
        return (word >>> EPOCH_SHIFT) == (counted >>> EPOCH_SHIFT);
    }

    /**
     * Sets the count to 0 in a new epoch (see the class doc) and returns the count it took out; 0,
     * changing nothing, when the count was 0. Only for words whose value is a pure signal: the
     * caller must then move the value and call {@link #wakeAllNow}, or waiters counted before may
     * sleep uncounted. (A lock word uses {@link #restartLockCount}.)
     */
    public static int restartCount(MemorySegment memory, long offset) {
        long at = offset + WAITERS_OFFSET;
        int word = (int) INT.getVolatile(memory, at);
        while ((word & COUNT_MASK) != 0) {
            int restarted = ((word >>> EPOCH_SHIFT) + 1) << EPOCH_SHIFT;
            int witness = (int) INT.compareAndExchange(memory, at, word, restarted);
            if (witness == word) {
                return word & COUNT_MASK;
            }
            word = witness;
        }
        return 0;
    }

    /**
     * Restarts the count of a pure-signal word and wakes it (see the class doc): a new epoch, the
     * value moved by 1, every sleeper woken, so each live waiter counts itself again and none is
     * lost. For a wake that found nobody asleep although the count said someone waits, which a
     * waiter killed asleep causes for ever. Returns the count taken out (0: nothing was changed).
     */
    public static int restartSignal(MemorySegment memory, long offset) {
        int removed = restartCount(memory, offset);
        if (removed != 0) {
            INT.getAndAdd(memory, offset + VALUE_OFFSET, 1);
            wakeAllNow(memory, offset);
        }
        return removed;
    }

    /**
     * Restarts the count of a lock word just released (its value 0, see the class doc) and wakes
     * every sleeper; for a release whose wake found nobody asleep although the count said someone
     * waits. Returns the count taken out (0: nothing was changed, or the lock was taken again).
     */
    public static int restartLockCount(MemorySegment memory, long offset) {
        if (value(memory, offset) != 0) {
            return 0; // taken again: its next release tries
        }
        int removed = restartCount(memory, offset);
        if (removed != 0) {
            wakeAllNow(memory, offset);
        }
        return removed;
    }

    /**
     * Adds 1 to a pure-signal word and wakes every recorded waiter; returns how many were woken, or
     * {@link #NOBODY_COUNTED} when no syscall was made (0 then means the count is stale or a waiter
     * is between counting itself and sleeping: see {@link #restartSignal}).
     */
    public static int bump(MemorySegment memory, long offset) {
        INT.getAndAdd(memory, offset + VALUE_OFFSET, 1);
        return wakeAll(memory, offset);
    }

    /** Wakes every sleeper of the word, counted or not (a syscall); returns how many. */
    public static int wakeAllNow(MemorySegment memory, long offset) {
        return Futex.wakeAll(memory, offset + VALUE_OFFSET);
    }

    /** The value (volatile read). */
    public static int value(MemorySegment memory, long offset) {
        return (int) INT.getVolatile(memory, offset + VALUE_OFFSET);
    }

    /** The number of recorded waiters (volatile read; the count, without the epoch). */
    public static int waiters(MemorySegment memory, long offset) {
        return (int) INT.getVolatile(memory, offset + WAITERS_OFFSET) & COUNT_MASK;
    }

    /**
     * Wakes one waiter of the word if any is recorded. Call after changing the value. Returns how
     * many were woken (0 or 1), or {@link #NOBODY_COUNTED} when no syscall was made.
     */
    public static int wakeOne(MemorySegment memory, long offset) {
        if (((int) INT.getVolatile(memory, offset + WAITERS_OFFSET) & COUNT_MASK) != 0) {
            return Futex.wake(memory, offset + VALUE_OFFSET, 1);
        }
        return NOBODY_COUNTED;
    }

    /**
     * Wakes every waiter of the word if any is recorded. Call after changing the value. Returns how
     * many were woken, or {@link #NOBODY_COUNTED} when no syscall was made.
     */
    public static int wakeAll(MemorySegment memory, long offset) {
        if (((int) INT.getVolatile(memory, offset + WAITERS_OFFSET) & COUNT_MASK) != 0) {
            return Futex.wakeAll(memory, offset + VALUE_OFFSET);
        }
        return NOBODY_COUNTED;
    }

    /** Stores {@code value} (volatile) and wakes every recorded waiter. */
    public static void set(MemorySegment memory, long offset, int value) {
        INT.setVolatile(memory, offset + VALUE_OFFSET, value);
        wakeAll(memory, offset);
    }

    /** Adds {@code delta} atomically, wakes every recorded waiter, and returns the new value. */
    public static int add(MemorySegment memory, long offset, int delta) {
        int updated = (int) INT.getAndAdd(memory, offset + VALUE_OFFSET, delta) + delta;
        wakeAll(memory, offset);
        return updated;
    }

    /** Checks that a wait word fits at {@code offset} and is 8-aligned. */
    static void checkWord(MemorySegment memory, long offset, String what) {
        if (offset < 0 || offset > memory.byteSize() - SIZE) {
            throw new IndexOutOfBoundsException(what + " at offset " + offset + " does not fit in "
                    + memory.byteSize() + " bytes (needs " + SIZE + ")");
        }
        if (((memory.address() + offset) & 7) != 0) {
            throw new IllegalArgumentException(what + " at offset " + offset + " is not 8-aligned");
        }
    }
}
