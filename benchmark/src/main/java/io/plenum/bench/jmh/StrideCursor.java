package io.plenum.bench.jmh;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Where one benchmark thread is in its walk over {@link #LENGTH} elements (array elements, pool
 * slots, mapped longs): a stride-9 walk, odd so that each lap visits every element once, and far
 * enough apart that consecutive calls do not hit one cache line. A failed CAS fails the run: it
 * would measure a failure path, not the operation the row names.
 */
@State(Scope.Thread)
public class StrideCursor {
    /** The elements every walk covers; a power of two. */
    public static final int LENGTH = 1024;
    private static final int LAP_SHIFT = Integer.numberOfTrailingZeros(LENGTH);
    private static final int STRIDE = 9;

    private long step;
    private long failedCas;

    /** Calls of {@link #next()} (and {@link #advance()}) so far: a value that differs from call to call. */
    public long step() {
        return step;
    }

    /** Returns {@link #step()} and advances it without naming an element. */
    public long advance() {
        return step++;
    }

    /** The element of this call; advances the walk. */
    public int next() {
        return (int) (step++ * STRIDE) & (LENGTH - 1);
    }

    /**
     * How many laps the walk completed before this call: in a single-threaded run every element
     * holds exactly that many successful CAS increments, so a CAS from that value always succeeds.
     * Call before {@link #next()}.
     */
    public long lap() {
        return step >>> LAP_SHIFT;
    }

    /** Counts a failed CAS; returns {@code casSucceeded}. */
    public boolean checked(boolean casSucceeded) {
        failedCas += casSucceeded ? 0 : 1;
        return casSucceeded;
    }

    @TearDown(Level.Trial)
    public void verify() {
        if (failedCas != 0) {
            throw new IllegalStateException(failedCas + " CAS failed; cas_* benchmarks must run single-threaded");
        }
    }
}
