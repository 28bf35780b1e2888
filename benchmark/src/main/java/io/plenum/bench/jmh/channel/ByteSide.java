package io.plenum.bench.jmh.channel;

import io.plenum.bench.jmh.Tally;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * One peer of a byte-message handoff in one JVM: the benchmark thread {@link #send sends}
 * messages of {@link #size} bytes, a background consumer thread receives them into its own array.
 *
 * <p>The sender stamps each message with its sequence number (1, 2, …) in its first and last
 * 8 bytes; the consumer checks the length and both stamps of every message against the next
 * number it expects, so a lost, reordered or torn message is counted as a fault. {@link #finish}
 * lets the consumer drain every message sent, then fails if any was missing or faulty. The
 * subclass supplies only the two transfers: {@link #trySend} and {@link #drain}.
 */
public abstract class ByteSide {
    /** Messages the structure holds (Agrona's ring rounds its bytes up to a power of two, see there). */
    static final int CAPACITY = 1024;

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    final int size;
    /** The sender's message, stamped before each send. */
    final byte[] message;
    /** The consumer's copy of the message it received last. */
    final byte[] target;

    /** Messages sent: the benchmark thread's count, on a line of its own (see {@link Tally}). */
    final Tally sent = new Tally();
    /** Messages received and faults: the consumer's, on a line of their own. */
    private final Tally received = new Tally();
    private Thread consumer;

    protected ByteSide(int size) {
        if (size < 16) {
            throw new IllegalArgumentException("message size " + size + ": at least 16 bytes (two 8-byte stamps)");
        }
        this.size = size;
        this.message = new byte[size];
        this.target = new byte[size];
    }

    /** Sends {@link #message} if there is room now. */
    abstract boolean trySend();

    /**
     * Receives what is there now, copying each message into {@link #target} and calling
     * {@link #received(int)} for it; the number of messages received (0: nothing was there).
     */
    abstract int drain();

    /** Sends the next message, spinning while the structure is full. */
    public final void send() {
        long n = sent.count + 1;
        LONG.set(message, 0, n);
        LONG.set(message, size - 8, n);
        while (!trySend()) {
            Thread.onSpinWait();
        }
        sent.count = n;
    }

    /** Checks the message of {@code length} bytes now in {@link #target}: consumer thread only. */
    final void received(int length) {
        long n = received.count + 1;
        if (length != size || (long) LONG.get(target, 0) != n || (long) LONG.get(target, size - 8) != n) {
            received.faults++;
        }
        received.count = n;
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

    /** Lets the consumer take every message sent, stops it, and fails if any was lost or faulty. */
    final void finish(String column) throws InterruptedException {
        received.stopAt = sent.count;
        consumer.join(10_000);
        if (consumer.isAlive()) {
            consumer.interrupt();
            throw new IllegalStateException(column + " " + size + " B: the consumer did not receive all "
                    + sent.count + " messages sent within 10 s");
        }
        if (received.count != sent.count || received.faults != 0) {
            throw new IllegalStateException(column + " " + size + " B: " + sent.count + " messages sent, "
                    + received.count + " received, " + received.faults + " with a wrong length or sequence stamp");
        }
    }
}
