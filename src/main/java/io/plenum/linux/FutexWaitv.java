package io.plenum.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * A vector of futex words for {@code futex_waitv(2)}: one call sleeps until any of up to 128 words
 * is woken. The vector lives in native memory owned by the caller's arena and is reused between
 * calls; it is not thread-safe.
 *
 * <pre>
 * struct futex_waitv (24 bytes), one per word:
 *   0      8      16     20     24
 *   +------+------+------+------+
 *   | val  | uaddr| flags| rsvd |
 *   +------+------+------+------+
 *   val: the expected value; uaddr: the word's address; flags: FUTEX2_SIZE_U32 (shared).
 * </pre>
 */
public final class FutexWaitv {
    /** The kernel's limit on words per call. */
    public static final int MAX_WORDS = 128;
    /** {@link #await} result when the timeout passed. */
    public static final int TIMED_OUT = -1;
    /** {@link #await} result when a word did not hold its expected value at the start. */
    public static final int VALUE_CHANGED = -2;
    /** {@link #await} result when a signal interrupted the call. */
    public static final int INTERRUPTED = -3;

    private static final long ENTRY = 24;
    private static final long VAL = 0;
    private static final long UADDR = 8;
    private static final long FLAGS = 16;
    private static final int FUTEX2_SIZE_U32 = 0x02;
    private static final long CLOCK_MONOTONIC = 1;
    private static final MethodHandle SYSCALL_5 = Native.syscall(5);

    private final MemorySegment vector;
    private int size;

    public FutexWaitv(Arena arena) {
        vector = arena.allocate(ENTRY * MAX_WORDS, 8);
    }

    /** Removes every word. */
    public void clear() {
        size = 0;
    }

    public int size() {
        return size;
    }

    /** Adds the word at {@code offset} of {@code memory}, expected to hold {@code expected}; returns its index. */
    public int add(MemorySegment memory, long offset, int expected) {
        if (size == MAX_WORDS) {
            throw new IllegalStateException("futex_waitv takes at most " + MAX_WORDS + " words");
        }
        long base = size * ENTRY;
        vector.set(Native.LONG, base + VAL, expected & 0xFFFF_FFFFL);
        vector.set(Native.LONG, base + UADDR, Futex.wordAddress(memory, offset));
        vector.set(Native.INT, base + FLAGS, FUTEX2_SIZE_U32);
        vector.set(Native.INT, base + FLAGS + 4, 0);
        return size++;
    }

    /**
     * Sleeps until one of the words is woken, or until the absolute CLOCK_MONOTONIC time
     * {@code deadlineNanos} ({@link Clock#monotonicNanos()}; negative: no limit). Returns the index of
     * a woken word, {@link #TIMED_OUT}, {@link #VALUE_CHANGED} or {@link #INTERRUPTED}.
     */
    public int await(long deadlineNanos) {
        if (size == 0) {
            throw new IllegalStateException("futex_waitv needs at least one word");
        }
        Native.Scratch scratch = Native.scratch();
        long timeout = deadlineNanos < 0 ? 0L : scratch.timespec(deadlineNanos).address();
        long result;
        try {
            result = (long) SYSCALL_5.invokeExact(scratch.capture, Native.SYS_FUTEX_WAITV,
                    vector.address(), (long) size, 0L, timeout, CLOCK_MONOTONIC);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
        if (result >= 0) {
            return (int) result;
        }
        int errno = Native.errno(scratch.capture);
        return switch (errno) {
            case Errno.ETIMEDOUT -> TIMED_OUT;
            case Errno.EAGAIN -> VALUE_CHANGED;
            case Errno.EINTR -> INTERRUPTED;
            default -> throw new LinuxException("futex_waitv", size + " words", errno);
        };
    }
}
