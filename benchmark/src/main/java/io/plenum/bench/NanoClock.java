package io.plenum.bench;

import java.util.Arrays;

/**
 * What timing one call with {@link System#nanoTime()} costs on this machine, and how often
 * to time a call so that the timing barely slows the measured work down.
 */
public final class NanoClock {

    /** Timing may cost at most this share of a worker's throughput. */
    public static final double MAX_OVERHEAD = 0.02;
    private static final int SAMPLES = 100_000;

    private NanoClock() {
    }

    /** The median time between two back-to-back {@code nanoTime()} calls: the floor of every timed call. */
    public static long cost() {
        long[] deltas = new long[SAMPLES];
        for (int round = 0; round < 2; round++) { // the first round warms the loop up
            for (int i = 0; i < SAMPLES; i++) {
                long t0 = System.nanoTime();
                deltas[i] = System.nanoTime() - t0;
            }
        }
        Arrays.sort(deltas);
        return Math.max(1, deltas[SAMPLES / 2]);
    }

    /**
     * How many calls per timed call (a power of two, 1 to 1024) keep the cost of timing —
     * two clock reads and a histogram update, about {@code 2 × clockNs} — under
     * {@link #MAX_OVERHEAD} of the work, for an operation that takes {@code operationNs}.
     */
    public static int sampleEvery(double operationNs, long clockNs) {
        double needed = 2.0 * clockNs / (MAX_OVERHEAD * Math.max(operationNs, 0.1));
        int every = 1;
        while (every < needed && every < 1024) {
            every <<= 1;
        }
        return every;
    }
}
