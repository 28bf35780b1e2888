package io.plenum.bench.jmh.channel;

import io.plenum.bench.jmh.Tally;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One peer of a many-to-one handoff of 8-byte messages in one JVM: {@link #PRODUCERS} benchmark
 * threads send, a background consumer thread receives.
 *
 * <p>Each producer's message is its id in the high 32 bits and its sequence number modulo
 * {@link #LAP} in the low ones (so the heap queues can send preallocated boxes, see
 * {@link Producer}); the consumer checks every message is the next of its producer, counting a
 * fault otherwise. {@link #finish} lets the consumer drain every message sent, then fails if any
 * was missing or out of order. The subclass supplies the transfer: {@link #drain}, and its
 * benchmark method's send.
 */
public abstract class MpscSide {
    static final int PRODUCERS = 2;
    static final int CAPACITY = 1024;
    static final int LAP = 4096;
    /** Longs between two producers' counters in {@link #sent}, so that they share no cache line. */
    private static final int PAD = 16;

    private final AtomicInteger ids = new AtomicInteger();
    private final long[] sent = new long[PRODUCERS * PAD];
    private final long[] next = new long[PRODUCERS];
    /** Messages received and faults: the consumer's, on a line of their own (see {@link Tally}). */
    private final Tally received = new Tally();
    private Thread consumer;

    /** Receives what is there now, calling {@link #received(long)} for each message; how many (0: none). */
    abstract int drain();

    /** A producer's id, 0 to PRODUCERS - 1, once per benchmark thread. */
    final int register() {
        int id = ids.getAndIncrement();
        if (id >= PRODUCERS) {
            throw new IllegalStateException("more than " + PRODUCERS + " producer threads: run this suite with @Threads("
                    + PRODUCERS + ")");
        }
        return id;
    }

    /** Records that producer {@code id} has sent {@code count} messages: its own thread only. */
    final void sent(int id, long count) {
        sent[id * PAD] = count;
    }

    /** Checks one message: consumer thread only. */
    final void received(long value) {
        long id = value >>> 32;
        if (id >= PRODUCERS) {
            received.faults++;
        } else {
            long seq = next[(int) id];
            if ((value & 0xFFFF_FFFFL) != seq % LAP) {
                received.faults++;
            }
            next[(int) id] = seq + 1;
        }
        received.count++;
    }

    final void startConsumer() {
        consumer = Thread.ofPlatform().daemon().name("bench-consumer").start(() -> {
            while (received.count < received.stopAt) {
                if (drain() == 0) {
                    Thread.onSpinWait();
                }
            }
        });
    }

    /** Lets the consumer take every message sent, stops it, and fails if any was lost or out of order. */
    final void finish(String column) throws InterruptedException {
        long total = 0;
        for (int id = 0; id < PRODUCERS; id++) {
            total += sent[id * PAD];
        }
        received.stopAt = total;
        consumer.join(10_000);
        if (consumer.isAlive()) {
            consumer.interrupt();
            throw new IllegalStateException(column + ": the consumer did not receive all " + total
                    + " messages sent within 10 s");
        }
        if (received.count != total || received.faults != 0) {
            throw new IllegalStateException(column + ": " + total + " messages sent, " + received.count + " received, "
                    + received.faults + " not the next of their producer");
        }
    }
}
