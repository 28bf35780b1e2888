package io.plenum.channel;

import io.plenum.sync.Reactor;
import io.plenum.sync.Registration;
import io.plenum.sync.WaitListener;
import io.plenum.sync.Waiting;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The asynchronous waits of one side (senders or receivers) of one channel handle: a FIFO queue
 * served through the JVM's {@link Reactor}, with one registration on the side's wait word however
 * many wait. No thread is blocked per waiter.
 *
 * <h2>Serving</h2>
 * One thread at a time drains: it marks the oldest waiter SERVING, lets it try once (a receive
 * copies and takes a message, a send claims and publishes, a signal waiter only checks), and on
 * success removes it and goes on with the next; otherwise it registers one wait for the word to move
 * from the value read <em>before</em> the try. While the queue is not empty the handle is counted as
 * one waiter of the word, so every publish (take) in any process bumps the word and no change is
 * missed. Each wake thus serves the waiters one message can satisfy, in order.
 *
 * <h2>Cancellation, and why nothing is lost</h2>
 * A waiter is WAITING, SERVING or DONE. Cancelling moves WAITING → DONE and the waiter leaves the
 * queue; a cancel that finds it SERVING waits the microseconds the try takes, then either cancels
 * it (the try found nothing) or answers false (it was completed with what it got). So a message is
 * never taken for a future that is then cancelled: it stays in the channel for the next receiver.
 *
 * <h2>Dead writers</h2>
 * Registrations carry a deadline of the recovery interval, after which the drain looks for a slot
 * held up by a dead writer, as blocking waits do between sleeps.
 */
final class ChannelAsync implements WaitListener {
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private final SharedChannel<?> channel;
    private final long word;
    private final boolean producerSide;
    private final long recoveryNanos;
    /** Guarded by this. */
    private final ArrayDeque<Waiter<?>> queue = new ArrayDeque<>();
    private boolean draining;
    private boolean again;
    private boolean counted;
    /** The waiters word after this handle counted itself in ({@link Waiting#countIn}). */
    private int countedWord;
    private Registration registration;
    /** Signal waiters granted and not yet released (see {@link Signal}); guarded by this. */
    private int granted;

    ChannelAsync(SharedChannel<?> channel, long word, boolean producerSide, long recoveryNanos) {
        this.channel = channel;
        this.word = word;
        this.producerSide = producerSide;
        this.recoveryNanos = Math.max(recoveryNanos, 1_000_000L);
    }

    <W extends Waiter<?>> W submit(W waiter) {
        channel.checkOpen();
        synchronized (this) {
            queue.addLast(waiter);
            if (!counted) {
                countedWord = Waiting.countIn(channel.ring.memory, word);
                counted = true;
            }
        }
        drain();
        return waiter;
    }

    synchronized int pending() {
        return queue.size();
    }

    @Override
    public void completed(boolean changed, RuntimeException failure) {
        synchronized (this) {
            registration = null;
        }
        if (failure != null) {
            failAll(failure);
            return;
        }
        if (!changed) {
            channel.ring.recoverStalled(producerSide);
        }
        if (!drain() && changed) {
            channel.ring.signal(word); // the wake reached this JVM, but nobody here wants it any more
        }
    }

    /** A granted signal was used or given up: the next signal waiter may be served. */
    void release() {
        synchronized (this) {
            granted--;
        }
        drain();
    }

    /** Serves what it can; false when the queue was empty. */
    boolean drain() {
        synchronized (this) {
            if (draining) {
                again = true;
                return true;
            }
            draining = true;
        }
        try {
            return drainLoop();
        } catch (RuntimeException | Error e) {
            synchronized (this) {
                draining = false;
            }
            failAll(e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e));
            return true;
        }
    }

    private boolean drainLoop() {
        boolean any = false;
        while (true) {
            Waiter<?> head;
            synchronized (this) {
                again = false;
                while ((head = queue.peekFirst()) != null && head.isDone()) {
                    queue.pollFirst();
                }
                if (head == null) {
                    withdraw();
                    draining = false;
                    return any;
                }
                any = true;
            }
            int value = (int) INT.getVolatile(channel.ring.memory, word);
            if (head.serve()) {
                synchronized (this) {
                    queue.remove(head);
                }
                continue;
            }
            synchronized (this) {
                if (again) {
                    continue;
                }
                if (registration == null) {
                    registration = Reactor.shared().watch(channel.ring.memory, word, value,
                            System.nanoTime() + recoveryNanos, this);
                }
                draining = false;
                return true;
            }
        }
    }

    /** The queue is empty: withdraw the registration and the waiter count; caller holds the monitor. */
    private void withdraw() {
        if (registration != null) {
            registration.cancel();
            registration = null;
        }
        if (counted) {
            Waiting.countOut(channel.ring.memory, word, countedWord);
            counted = false;
        }
    }

    private void forget(Waiter<?> waiter) {
        synchronized (this) {
            if (!queue.remove(waiter)) {
                return;
            }
            if (draining) {
                again = true;
            } else if (queue.isEmpty()) {
                withdraw();
            }
        }
    }

    void failAll(RuntimeException failure) {
        Waiter<?>[] failed;
        synchronized (this) {
            failed = queue.toArray(new Waiter<?>[0]);
            queue.clear();
            withdraw();
        }
        for (Waiter<?> waiter : failed) {
            waiter.completeExceptionally(failure);
        }
    }

    /** One asynchronous send or receive. */
    abstract static class Waiter<T> extends CompletableFuture<T> {
        private static final int WAITING = 0;
        private static final int SERVING = 1;
        private static final int DONE = 2;
        private final AtomicInteger state = new AtomicInteger();
        final ChannelAsync owner;

        Waiter(ChannelAsync owner) {
            this.owner = owner;
        }

        /**
         * One try, with this waiter SERVING: on success completes it through {@link #finish} or
         * {@link #fail} and returns true; returns false to wait for the next change.
         */
        abstract boolean attempt();

        final boolean serve() {
            if (!state.compareAndSet(WAITING, SERVING)) {
                return true;
            }
            boolean done;
            try {
                done = attempt();
            } catch (RuntimeException | Error e) {
                fail(e);
                return true;
            }
            if (!done) {
                state.set(WAITING);
            }
            return done;
        }

        final void finish(T value) {
            state.set(DONE);
            super.complete(value);
        }

        final void fail(Throwable failure) {
            state.set(DONE);
            super.completeExceptionally(failure);
        }

        /** WAITING → DONE, waiting out a try in progress; false when the waiter was completed. */
        private boolean end() {
            while (true) {
                int now = state.get();
                if (now == DONE) {
                    return false;
                }
                if (now == WAITING && state.compareAndSet(WAITING, DONE)) {
                    return true;
                }
                Thread.onSpinWait();
            }
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            if (!end()) {
                return false;
            }
            super.cancel(mayInterruptIfRunning);
            owner.forget(this);
            return true;
        }

        @Override
        public boolean completeExceptionally(Throwable failure) {
            if (!end()) {
                return false;
            }
            super.completeExceptionally(failure);
            owner.forget(this);
            return true;
        }

        /** Completing from outside withdraws the wait, as a cancel does (nothing is taken for it). */
        @Override
        public boolean complete(T value) {
            if (!end()) {
                return false;
            }
            super.complete(value);
            owner.forget(this);
            return true;
        }
    }

    /**
     * A wait for a chance, not for a message: completes (with true) when the side can probably go
     * on, and holds a grant until {@link ChannelAsync#release()}, so that one change wakes one
     * signal waiter, which then tries itself. The suspending verbs use it: the message is taken by
     * the coroutine's own code, never on behalf of a coroutine that may be cancelled.
     */
    static final class Signal extends Waiter<Boolean> {
        Signal(ChannelAsync owner) {
            super(owner);
        }

        @Override
        boolean attempt() {
            synchronized (owner) {
                if (owner.granted > 0) {
                    return false;
                }
            }
            if (!owner.channel.ready(owner.producerSide)) {
                return false;
            }
            synchronized (owner) {
                owner.granted++;
            }
            finish(Boolean.TRUE);
            return true;
        }
    }
}
