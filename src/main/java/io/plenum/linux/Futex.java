package io.plenum.linux;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Objects;

/**
 * Shared (not process-private) futex calls on 32-bit words in mapped memory, so that a waiter in
 * one process is woken by a waker in another. Callers keep the word's memory mapped while they
 * wait; an unmapped word makes the call fail with {@code EFAULT}, never crash.
 */
public final class Futex {
    /** Why {@link #await} returned. */
    public enum WaitResult {
        /** A wake arrived (or the kernel woke the thread spuriously): re-check the word. */
        WOKEN,
        /** The word did not hold the expected value when the call began. */
        VALUE_CHANGED,
        /** The timeout passed. */
        TIMED_OUT,
        /** A signal interrupted the wait. */
        INTERRUPTED
    }

    private static final int FUTEX_WAIT = 0;
    private static final int FUTEX_WAKE = 1;
    private static final MethodHandle SYSCALL_4 = Native.syscall(4);

    private Futex() {
    }

    /**
     * Sleeps while the word at {@code offset} holds {@code expected}, at most {@code timeoutNanos}
     * (negative: no limit).
     */
    public static WaitResult await(MemorySegment memory, long offset, int expected, long timeoutNanos) {
        long address = wordAddress(memory, offset);
        Native.Scratch scratch = Native.scratch();
        long timeout = timeoutNanos < 0 ? 0L : scratch.timespec(timeoutNanos).address();
        long result;
        try {
            result = (long) SYSCALL_4.invokeExact(scratch.capture, Native.SYS_FUTEX, address,
                    (long) FUTEX_WAIT, (long) expected, timeout);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
        if (result == 0) {
            return WaitResult.WOKEN;
        }
        int errno = Native.errno(scratch.capture);
        return switch (errno) {
            case Errno.EAGAIN -> WaitResult.VALUE_CHANGED;
            case Errno.ETIMEDOUT -> WaitResult.TIMED_OUT;
            case Errno.EINTR -> WaitResult.INTERRUPTED;
            default -> throw new LinuxException("futex_wait", hex(address), errno);
        };
    }

    /** Wakes at most {@code count} waiters of the word; returns how many were woken. */
    public static int wake(MemorySegment memory, long offset, int count) {
        long address = wordAddress(memory, offset);
        Native.Scratch scratch = Native.scratch();
        long result;
        try {
            result = (long) SYSCALL_4.invokeExact(scratch.capture, Native.SYS_FUTEX, address,
                    (long) FUTEX_WAKE, (long) count, 0L);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
        if (result < 0) {
            throw new LinuxException("futex_wake", hex(address), Native.errno(scratch.capture));
        }
        return (int) result;
    }

    /** Wakes every waiter of the word. */
    public static int wakeAll(MemorySegment memory, long offset) {
        return wake(memory, offset, Integer.MAX_VALUE);
    }

    static long wordAddress(MemorySegment memory, long offset) {
        Objects.checkFromIndexSize(offset, 4, memory.byteSize());
        if (!memory.scope().isAlive()) {
            throw new IllegalStateException("the segment holding the futex word is closed");
        }
        long address = memory.address() + offset;
        if ((address & 3) != 0) {
            throw new IllegalArgumentException("futex word at " + hex(address) + " is not 4-byte aligned");
        }
        return address;
    }

    static String hex(long address) {
        return "0x" + Long.toHexString(address);
    }
}
