package io.plenum.bench.jmh;

/**
 * What one thread of a handoff benchmark writes per message (a count, faults found) and what it
 * reads per loop (when to stop), in an object of its own, padded with a cache line on each side.
 *
 * <p>Kept as fields of the {@code @State} object, these counts shared a cache line with what the
 * other thread reads per message (the structure's reference, the message buffers), so every
 * message also paid a coherence miss that is no part of the structure under test (false sharing),
 * and not the same in every column. HotSpot lays fields of one size out in declaration order, so
 * the padding stays around the counts.
 */
@SuppressWarnings("unused") // the padding
public final class Tally {
    private long p0, p1, p2, p3, p4, p5, p6, p7;
    /** Messages sent or received: the owning thread only (others read it after it stopped). */
    public long count;
    /** Messages received with a wrong length, stamp or sequence: the consumer thread only. */
    public long faults;
    /** Set at tear-down: the consumer stops once it received this many. */
    public volatile long stopAt = Long.MAX_VALUE;
    /** Set at tear-down: the consumer stops at once. */
    public volatile boolean stop;
    private long q0, q1, q2, q3, q4, q5, q6, q7;
}
