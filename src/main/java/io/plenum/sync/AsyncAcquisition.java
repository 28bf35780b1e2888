package io.plenum.sync;

import java.util.concurrent.CompletableFuture;

/**
 * Lock acquisitions that wait through the {@link Reactor} instead of a thread. Each is a future
 * that retries on its reactor thread whenever the word it waits on changes, and at least every
 * recovery check interval (to recover a dead holder).
 *
 * <h2>Cancellation, and why no lock is leaked</h2>
 * Everything runs under the future's monitor: the attempts (on the reactor thread, or the caller's
 * for the first one) and every way the future can end. An attempt that gets the lock completes the
 * future; if the future ended first, the attempt gives the lock back at once.
 *
 * <h2>State is settled before the future completes</h2>
 * Completing a future runs its dependent stages at once, on the completing thread, and they may
 * look at the lock. So every completion from outside ({@link #cancel}, {@link #completeExceptionally}
 * (also through {@code orTimeout}), {@link #complete} (also through {@code completeOnTimeout}))
 * first withdraws the pending registration and gives back what a half-done acquisition holds (a
 * write lock's writer word while it waits for readers to leave), and only then completes. Without
 * that, a timed-out write acquisition kept the writer word for ever: its next attempt found the
 * future done and returned.
 *
 * <h2>Wakes are never lost</h2>
 * A reactor wait that is told of a change may have taken the one wake a release made (a mutex
 * release wakes one waiter). If the acquisition ended meanwhile and will not use it, it passes
 * the wake on to the next waiter of the word.
 *
 * <h2>Closing</h2>
 * Closing the lock's segment (a standalone lock's {@code close()}, or the structure it is embedded
 * in) fails a pending acquisition promptly with an {@link IllegalStateException} naming the
 * segment, after giving back any partial hold while the memory is still mapped (see
 * {@link Reactor}, "Closing").
 */
abstract class AsyncAcquisition extends CompletableFuture<LockResult> implements WaitListener {
    private final long checkIntervalNanos;
    private Registration registration;
    /** The word of the last registered wait (for passing on a wake it may have taken). */
    private java.lang.foreign.MemorySegment watchedMemory;
    private long watchedOffset;
    private long nextCheck;
    boolean recovered;

    AsyncAcquisition(long checkIntervalNanos) {
        this.checkIntervalNanos = checkIntervalNanos;
        this.nextCheck = System.nanoTime() + Math.min(OwnedWord.FIRST_CHECK_NANOS, checkIntervalNanos);
    }

    static CompletableFuture<LockResult> start(OwnedWord word) {
        return new Exclusive(word).begin();
    }

    static CompletableFuture<LockResult> startRead(SharedRwLock lock) {
        return new Read(lock).begin();
    }

    static CompletableFuture<LockResult> startWrite(SharedRwLock lock) {
        return new Write(lock).begin();
    }

    final AsyncAcquisition begin() {
        try {
            synchronized (this) {
                attempt();
            }
        } catch (RuntimeException e) {
            completeExceptionally(e);
        }
        return this;
    }

    @Override
    public final void completed(boolean changed, RuntimeException failure) {
        synchronized (this) {
            registration = null;
            if (isDone()) {
                if (changed) {
                    // Ended while the reactor told us: the wake we may have taken is someone else's.
                    passOn();
                }
                return;
            }
            if (failure != null) {
                completeExceptionally(failure);
                return;
            }
            try {
                attempt();
            } catch (RuntimeException e) {
                completeExceptionally(e);
            }
        }
    }

    /** Wakes one more waiter of the word last waited on (nothing when the memory is gone). */
    private void passOn() {
        try {
            Waiting.wakeOne(watchedMemory, watchedOffset);
        } catch (IllegalStateException closed) {
            // Unmapped: nobody in this process can wait on it any more.
        }
    }

    /**
     * Withdraws the pending wait and gives back a partial hold; caller holds the monitor and
     * completes the future right after. Giving back may fail only because the memory was unmapped
     * meanwhile, and the partial hold went with it: the future still completes, so no caller waits
     * for ever.
     */
    private void withdraw() {
        if (registration != null) {
            // False when the reactor is telling us of a change right now: completed() then finds
            // the future done and passes the wake on.
            registration.cancel();
            registration = null;
        }
        try {
            giveBack();
        } catch (IllegalStateException e) {
            // See above: unmapped.
        }
    }

    // Every way to end the future from outside (and failures from inside): withdraw and give back
    // first, then complete, all under the monitor, so a dependent stage sees the lock as it is
    // afterwards and no attempt can run in between.

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        synchronized (this) {
            if (isDone()) {
                return false;
            }
            withdraw();
            return super.cancel(mayInterruptIfRunning);
        }
    }

    @Override
    public boolean completeExceptionally(Throwable failure) {
        synchronized (this) {
            if (isDone()) {
                return false;
            }
            withdraw();
            return super.completeExceptionally(failure);
        }
    }

    /** A caller completing the future itself (or {@code completeOnTimeout}): nothing stays held. */
    @Override
    public boolean complete(LockResult value) {
        synchronized (this) {
            if (isDone()) {
                return false;
            }
            withdraw();
            return super.complete(value);
        }
    }

    /** For tests: whether a reactor wait is registered for this acquisition now. */
    final synchronized boolean registered() {
        return registration != null;
    }

    /** True when the holder should be checked for liveness now (every check interval). */
    final boolean livenessDue() {
        long now = System.nanoTime();
        if (now - nextCheck >= 0) {
            nextCheck = now + checkIntervalNanos;
            return true;
        }
        return false;
    }

    /** Waits for the word to leave {@code value}, at most until the next liveness check. */
    final void waitFor(java.lang.foreign.MemorySegment memory, long offset, int value) {
        watchedMemory = memory;
        watchedOffset = offset;
        registration = Reactor.shared().watch(memory, offset, value, nextCheck, this);
    }

    /**
     * Completes with the lock held (the one completion that keeps what it holds), or gives it back
     * if the future ended meanwhile. Caller holds the monitor.
     */
    final void granted() {
        if (!super.complete(recovered ? LockResult.RECOVERED : LockResult.ACQUIRED)) {
            release();
        }
    }

    /** One step: take the lock (then {@link #granted()}) or register a wait with {@link #waitFor}. */
    abstract void attempt();

    /** Gives back a partial acquisition (nothing by default). */
    void giveBack() {
    }

    /** Gives back the whole lock. */
    abstract void release();

    private static final class Exclusive extends AsyncAcquisition {
        private final OwnedWord word;

        Exclusive(OwnedWord word) {
            super(word.checkIntervalNanos());
            this.word = word;
        }

        @Override
        void attempt() {
            while (true) {
                if (word.tryAcquire(0).acquired()) {
                    granted();
                    return;
                }
                int holder = word.owner();
                if (holder == 0) {
                    continue;
                }
                if (livenessDue() && word.recoverDead(holder, word.owners().currentOwner(), 0)) {
                    recovered = true;
                    granted();
                    return;
                }
                waitFor(word.memory(), word.offset(), holder);
                return;
            }
        }

        @Override
        void release() {
            word.release(0);
        }
    }

    private static final class Read extends AsyncAcquisition {
        private final SharedRwLock lock;

        Read(SharedRwLock lock) {
            super(lock.checkIntervalNanos());
            this.lock = lock;
        }

        @Override
        void attempt() {
            OwnedWord writer = lock.writerWord();
            while (true) {
                if (lock.tryRead()) {
                    granted();
                    return;
                }
                int holder = writer.owner();
                if (holder == 0) {
                    continue;
                }
                if (livenessDue() && writer.freeIfDead(holder)) {
                    recovered = true;
                    continue;
                }
                waitFor(writer.memory(), writer.offset(), holder);
                return;
            }
        }

        @Override
        void release() {
            lock.releaseRead();
        }
    }

    private static final class Write extends AsyncAcquisition {
        private final SharedRwLock lock;
        private boolean writerHeld;

        Write(SharedRwLock lock) {
            super(lock.checkIntervalNanos());
            this.lock = lock;
        }

        @Override
        void attempt() {
            OwnedWord writer = lock.writerWord();
            while (!writerHeld) {
                if (writer.tryAcquire(0).acquired()) {
                    writerHeld = true;
                    break;
                }
                int holder = writer.owner();
                if (holder == 0) {
                    continue;
                }
                if (livenessDue() && writer.recoverDead(holder, writer.owners().currentOwner(), 0)) {
                    recovered = true;
                    writerHeld = true;
                    break;
                }
                waitFor(writer.memory(), writer.offset(), holder);
                return;
            }
            while (true) {
                int event = Waiting.value(lock.memory(), lock.drainedOffset());
                if (!lock.anyReaders()) {
                    granted();
                    return;
                }
                if (livenessDue() && lock.recoverDeadReaders() > 0) {
                    recovered = true;
                    continue;
                }
                waitFor(lock.memory(), lock.drainedOffset(), event);
                return;
            }
        }

        @Override
        void giveBack() {
            if (writerHeld) {
                writerHeld = false;
                lock.writerWord().release(0);
            }
        }

        @Override
        void release() {
            giveBack();
        }
    }
}
