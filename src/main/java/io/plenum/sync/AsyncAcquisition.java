package io.plenum.sync;

import java.util.concurrent.CompletableFuture;

/**
 * Lock acquisitions that wait through the {@link Reactor} instead of a thread. Each is a future
 * that retries on its reactor thread whenever the word it waits on changes, and at least every
 * recovery check interval (to recover a dead holder).
 *
 * <h2>Cancellation, and why no lock is leaked</h2>
 * Everything runs under the future's monitor: the attempts (on the reactor thread, or the caller's
 * for the first one) and {@link #cancel}. An attempt that gets the lock completes the future; if
 * the future was cancelled first, the attempt gives the lock back at once. A cancel withdraws the
 * pending registration and gives back what a half-done acquisition holds (a write lock's writer
 * word while it waits for readers to leave).
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
                return;
            }
            if (failure != null) {
                fail(failure);
                return;
            }
            try {
                attempt();
            } catch (RuntimeException e) {
                fail(e);
            }
        }
    }

    /**
     * Gives back what a half-done acquisition holds and fails the future. The future completes
     * even when giving back fails (the memory was closed, say), so no caller waits for ever.
     */
    private void fail(RuntimeException failure) {
        try {
            giveBack();
        } catch (IllegalStateException e) {
            // The memory was unmapped meanwhile, and the partial hold went with it.
        }
        completeExceptionally(failure);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        synchronized (this) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            if (cancelled) {
                if (registration != null) {
                    registration.cancel();
                    registration = null;
                }
                giveBack();
            }
            return cancelled;
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
        registration = Reactor.shared().watch(memory, offset, value, nextCheck, this);
    }

    /** Completes with the lock held, or gives it back if the caller cancelled meanwhile. */
    final void granted() {
        if (!complete(recovered ? LockResult.RECOVERED : LockResult.ACQUIRED)) {
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
