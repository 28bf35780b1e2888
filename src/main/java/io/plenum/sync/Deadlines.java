package io.plenum.sync;

import java.time.Duration;

/** {@link System#nanoTime()} deadlines from durations, saturating at {@link Waiting#NO_DEADLINE}. */
public final class Deadlines {
    private Deadlines() {
    }

    /** The deadline {@code timeout} from now; a negative timeout is now (try once). */
    public static long after(Duration timeout) {
        if (timeout == null) {
            throw new IllegalArgumentException("timeout is required");
        }
        long nanos;
        try {
            nanos = Math.max(0, timeout.toNanos());
        } catch (ArithmeticException e) {
            return Waiting.NO_DEADLINE;
        }
        long now = System.nanoTime();
        long deadline = now + nanos;
        return deadline < now || deadline == Waiting.NO_DEADLINE ? Waiting.NO_DEADLINE - 1 : deadline;
    }
}
