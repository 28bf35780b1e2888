package io.plenum.channel;

import java.lang.foreign.MemorySegment;

/**
 * The raw-bytes forms of a {@link SharedChannel}: a message copied from the caller's memory into its
 * slot and out of it into the caller's memory, with no array and no codec in between. A target too
 * small for the next message is refused before anything is taken, so the message stays for a
 * receiver with room.
 */
final class ChannelBytes {
    private final SharedChannel<?> channel;
    private final ChannelRing ring;

    ChannelBytes(SharedChannel<?> channel) {
        this.channel = channel;
        this.ring = channel.ring;
    }

    /** Sends the bytes of {@code message}; false when it timed out or may not wait. */
    boolean send(MemorySegment message, long deadlineNanos, boolean mayWait) throws InterruptedException {
        if (message == null) {
            throw new IllegalArgumentException(channel.describe() + ": message is null");
        }
        channel.checkFits(message.byteSize());
        checkReadable(message);
        long position = channel.sendPosition(deadlineNanos, mayWait);
        if (position >= 0) {
            try {
                MemorySegment.copy(message, 0, ring.memory, ring.payloadOffset(position), message.byteSize());
            } catch (IllegalStateException | WrongThreadException e) {
                // Closed by another thread since the check: the claimed slot must not stay WRITING.
                ring.giveBack(position);
                throw new IllegalStateException(channel.describe() + ": the message memory could not be read ("
                        + e.getMessage() + "); nothing was sent", e);
            }
            ring.publish(position, (int) message.byteSize());
        }
        return position != ChannelRing.NONE;
    }

    /**
     * Refuses, before anything is claimed, a message this thread cannot read: a claimed slot whose
     * copy then failed would otherwise hold every receiver up behind a live writer.
     */
    private void checkReadable(MemorySegment message) {
        if (!message.scope().isAlive()) {
            throw new IllegalStateException(channel.describe() + ": the message memory is closed (nothing was sent)");
        }
        if (!message.isAccessibleBy(Thread.currentThread())) {
            throw new WrongThreadException(channel.describe() + ": the message memory is confined to another thread"
                    + " (nothing was sent)");
        }
    }

    boolean sendNow(MemorySegment message) {
        try {
            return send(message, 0, false);
        } catch (InterruptedException e) {
            throw new AssertionError("a send that never waits was interrupted", e);
        }
    }

    /**
     * Receives a message into {@code target}: its length, or -1 when it timed out (or may not wait).
     *
     * @throws ChannelClosedException closed and drained
     */
    int receive(MemorySegment target, long deadlineNanos, boolean mayWait) throws InterruptedException {
        if (target == null) {
            throw new IllegalArgumentException(channel.describe() + ": target is null");
        }
        while (true) {
            long position = channel.receivePosition(deadlineNanos, mayWait);
            if (position == ChannelRing.CLOSED_NOW) {
                throw channel.closedException("closed for receive");
            }
            if (position < 0) {
                return -1;
            }
            int length = ring.length(position);
            if (length < 0) {
                continue;
            }
            if (length > target.byteSize()) {
                throw new IllegalArgumentException(channel.describe() + ": the next message has " + length
                        + " bytes, target has room for " + target.byteSize() + " (nothing was taken)");
            }
            MemorySegment.copy(ring.memory, ring.payloadOffset(position), target, 0, length);
            if (ring.take(position)) {
                return length;
            }
        }
    }

    int receiveNow(MemorySegment target) {
        try {
            return receive(target, 0, false);
        } catch (ChannelClosedException e) {
            return -1;
        } catch (InterruptedException e) {
            throw new AssertionError("a receive that never waits was interrupted", e);
        }
    }
}
