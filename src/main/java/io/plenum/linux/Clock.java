package io.plenum.linux;

import java.lang.invoke.MethodHandle;
import java.lang.foreign.FunctionDescriptor;

/** CLOCK_MONOTONIC, the clock of {@code futex_waitv} deadlines. */
public final class Clock {
    private static final MethodHandle CLOCK_GETTIME = Native.function("clock_gettime",
            FunctionDescriptor.of(Native.INT, Native.INT, Native.POINTER));

    private Clock() {
    }

    public static long monotonicNanos() {
        Native.Scratch scratch = Native.scratch();
        int result;
        try {
            result = (int) CLOCK_GETTIME.invokeExact(scratch.capture, 1, scratch.timespec);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
        if (result != 0) {
            throw new LinuxException("clock_gettime", "CLOCK_MONOTONIC", Native.errno(scratch.capture));
        }
        return scratch.timespec.get(Native.LONG, 0) * 1_000_000_000L + scratch.timespec.get(Native.LONG, 8);
    }
}
