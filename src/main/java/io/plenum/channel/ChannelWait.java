package io.plenum.channel;

import io.plenum.linux.Futex;
import io.plenum.sync.Waiting;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * The blocking wait of a send or a receive: a short spin, then sleeps of at most
 * {@link Waiting#SLICE_NANOS} on the side's wait word ({@code notFull} for senders, {@code notEmpty}
 * for receivers), with the attempt made <em>after</em> this thread is counted as a waiter. That is
 * the waiter's side of the {@link Waiting} protocol: a publish (or take) either happens before the
 * attempt, which then sees it, or after the count, and then it bumps the word and wakes a sleeper,
 * so no wake-up is lost. Between sleeps the waiter looks for a slot held up by a dead writer.
 */
final class ChannelWait {
    /** One try: a position (>= 0), {@link ChannelRing#CLOSED_NOW}, or a negative "not yet". */
    @FunctionalInterface
    interface Attempt {
        long attempt();
    }

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private ChannelWait() {
    }

    static boolean finished(long result) {
        return result >= 0 || result == ChannelRing.CLOSED_NOW;
    }

    /**
     * Tries until {@code attempt} finishes or {@code deadlineNanos} passes ({@link ChannelRing#NONE}).
     *
     * @throws InterruptedException the thread was interrupted (noticed within one slice)
     */
    static long await(SharedChannel<?> channel, long word, boolean producerSide, Attempt attempt, long deadlineNanos)
            throws InterruptedException {
        try {
            return awaitOpen(channel, word, producerSide, attempt, deadlineNanos);
        } catch (IllegalStateException e) {
            // Another thread closed this handle while this one waited, and the mapping went away
            // under it: say so with the channel's name (checkOpen throws), not the FFM's bare words.
            channel.checkOpen();
            throw e;
        }
    }

    private static long awaitOpen(SharedChannel<?> channel, long word, boolean producerSide, Attempt attempt,
                                  long deadlineNanos) throws InterruptedException {
        ChannelRing ring = channel.ring;
        for (int i = 0; i < Waiting.SPIN_TRIES; i++) {
            Thread.onSpinWait();
            long result = attempt.attempt();
            if (finished(result)) {
                return result;
            }
        }
        ring.add(ChannelLayout.WAITS_OFFSET, 1);
        while (true) {
            if (Thread.interrupted()) {
                ring.signal(word); // a wake that reached this thread is passed on
                throw new InterruptedException();
            }
            channel.checkOpen();
            long result;
            boolean timedOut = false;
            int counted = Waiting.countIn(ring.memory, word);
            try {
                int value = (int) INT.getVolatile(ring.memory, word);
                result = attempt.attempt();
                if (!finished(result)) {
                    long left = deadlineNanos == Waiting.NO_DEADLINE ? Waiting.SLICE_NANOS
                            : deadlineNanos - System.nanoTime();
                    if (left <= 0) {
                        timedOut = true;
                    } else {
                        Futex.await(ring.memory, word, value, Math.min(left, Waiting.SLICE_NANOS));
                    }
                }
            } finally {
                try {
                    Waiting.countOut(ring.memory, word, counted);
                } catch (IllegalStateException gone) {
                    // The handle was closed under this waiter: its count stays, until a wake that
                    // finds nobody asleep restarts it (ChannelRing.restartWaitersSometimes).
                    if (!channel.isClosed()) {
                        throw gone;
                    }
                }
            }
            if (finished(result)) {
                return result;
            }
            if (timedOut) {
                ring.signal(word);
                return ChannelRing.NONE;
            }
            ring.recoverStalled(producerSide);
        }
    }
}
