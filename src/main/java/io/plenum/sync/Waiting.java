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
 * <p>A process killed between (1) and (4) leaves the count one too high: wakers then make one
 * needless syscall per wake, and nothing blocks. The per-JVM {@link Reactor} counts itself as one
 * waiter per word it watches.
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
    /** The longest single futex sleep. */
    public static final long SLICE_NANOS = 50_000_000L;
    /** How often a waiter re-reads the word before it sleeps. */
    public static final int SPIN_TRIES = 200;
    /** A deadline that never comes. */
    public static final long NO_DEADLINE = Long.MAX_VALUE;

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
        long waiters = offset + WAITERS_OFFSET;
        INT.getAndAdd(memory, waiters, 1);
        try {
            if ((int) INT.getVolatile(memory, offset + VALUE_OFFSET) == expected) {
                Futex.await(memory, offset + VALUE_OFFSET, expected, timeoutNanos);
            }
        } finally {
            INT.getAndAdd(memory, waiters, -1);
        }
    }

    /** The value (volatile read). */
    public static int value(MemorySegment memory, long offset) {
        return (int) INT.getVolatile(memory, offset + VALUE_OFFSET);
    }

    /** The number of recorded waiters (volatile read). */
    public static int waiters(MemorySegment memory, long offset) {
        return (int) INT.getVolatile(memory, offset + WAITERS_OFFSET);
    }

    /** Wakes one waiter of the word if any is recorded. Call after changing the value. */
    public static void wakeOne(MemorySegment memory, long offset) {
        if ((int) INT.getVolatile(memory, offset + WAITERS_OFFSET) != 0) {
            Futex.wake(memory, offset + VALUE_OFFSET, 1);
        }
    }

    /** Wakes every waiter of the word if any is recorded. Call after changing the value. */
    public static void wakeAll(MemorySegment memory, long offset) {
        if ((int) INT.getVolatile(memory, offset + WAITERS_OFFSET) != 0) {
            Futex.wakeAll(memory, offset + VALUE_OFFSET);
        }
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
