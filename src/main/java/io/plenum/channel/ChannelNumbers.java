package io.plenum.channel;

import io.plenum.codec.CodecException;
import java.lang.foreign.ValueLayout;

/**
 * The allocation-free number forms of a {@link SharedChannel}: a {@code long}, {@code int} or
 * {@code double} written straight into its slot, little-endian, so that they are wire-compatible
 * with {@code Codecs.LONG}, {@code INT} and {@code DOUBLE} (a double travels as its raw IEEE 754
 * bits, 8 bytes). A receiver that finds a message of another length takes it and refuses it with a
 * {@link CodecException}, so a wrong message never blocks the channel.
 *
 * <p>Invariant kept here as in the object forms: a slot is read before the CAS that takes it
 * ({@link ChannelRing#take}); a read whose take fails read nothing that counts and is retried.
 */
final class ChannelNumbers {
    private static final ValueLayout.OfLong LONG_LE =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT_LE =
            ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);

    private final SharedChannel<?> channel;
    private final ChannelRing ring;

    ChannelNumbers(SharedChannel<?> channel) {
        this.channel = channel;
        this.ring = channel.ring;
    }

    /** Sends {@code size} (4 or 8) bytes of {@code value}; false when it timed out or may not wait. */
    boolean send(long value, int size, long deadlineNanos, boolean mayWait) throws InterruptedException {
        channel.checkFits(size);
        long position = channel.sendPosition(deadlineNanos, mayWait);
        if (position >= 0) {
            if (size == Long.BYTES) {
                ring.memory.set(LONG_LE, ring.payloadOffset(position), value);
            } else {
                ring.memory.set(INT_LE, ring.payloadOffset(position), (int) value);
            }
            ring.publish(position, size);
        }
        return position != ChannelRing.NONE;
    }

    boolean sendNow(long value, int size) {
        try {
            return send(value, size, 0, false);
        } catch (InterruptedException e) {
            throw new AssertionError("a send that never waits was interrupted", e);
        }
    }

    /**
     * The next 8-byte message as its bits, waiting until {@code deadlineNanos}; {@code ifNone} when
     * it timed out (or may not wait).
     *
     * @throws ChannelClosedException closed and drained
     */
    long receiveLong(long deadlineNanos, boolean mayWait, long ifNone) throws InterruptedException {
        while (true) {
            long position = position(Long.BYTES, deadlineNanos, mayWait);
            if (position < 0) {
                return ifNone;
            }
            long value = ring.memory.get(LONG_LE, ring.payloadOffset(position));
            if (ring.take(position)) {
                return value;
            }
        }
    }

    /** As {@link #receiveLong}, for 4-byte messages. */
    int receiveInt(long deadlineNanos, boolean mayWait, int ifNone) throws InterruptedException {
        while (true) {
            long position = position(Integer.BYTES, deadlineNanos, mayWait);
            if (position < 0) {
                return ifNone;
            }
            int value = ring.memory.get(INT_LE, ring.payloadOffset(position));
            if (ring.take(position)) {
                return value;
            }
        }
    }

    /** The next 8-byte message now, or {@code ifEmpty} (empty, or closed and drained). */
    long pollLongNow(long ifEmpty) {
        try {
            return receiveLong(0, false, ifEmpty);
        } catch (ChannelClosedException e) {
            return ifEmpty;
        } catch (InterruptedException e) {
            throw new AssertionError("a receive that never waits was interrupted", e);
        }
    }

    /** The next 4-byte message now, or {@code ifEmpty} (empty, or closed and drained). */
    int pollIntNow(int ifEmpty) {
        try {
            return receiveInt(0, false, ifEmpty);
        } catch (ChannelClosedException e) {
            return ifEmpty;
        } catch (InterruptedException e) {
            throw new AssertionError("a receive that never waits was interrupted", e);
        }
    }

    /** A FULL position holding {@code size} bytes; a message of another size is taken and refused. */
    private long position(int size, long deadlineNanos, boolean mayWait) throws InterruptedException {
        while (true) {
            long position = channel.receivePosition(deadlineNanos, mayWait);
            if (position == ChannelRing.CLOSED_NOW) {
                throw channel.closedException("closed for receive");
            }
            if (position < 0) {
                return position;
            }
            int length = ring.length(position);
            if (length == size) {
                return position;
            }
            if (length >= 0 && ring.take(position)) {
                throw new CodecException(channel.describe() + ": took a message of " + length + " bytes where a "
                        + size + "-byte number was expected");
            }
        }
    }
}
