package io.plenum.sync;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A registered asynchronous wait: WAITING, then exactly one of DONE (its listener is called once)
 * or CANCELLED (its listener is never called). The one CAS out of WAITING decides, so a wait that
 * is cancelled while it completes is either told or withdrawn, never both.
 */
abstract class Waiter implements Registration {
    private static final int WAITING = 0;
    private static final int DONE = 1;
    private static final int CANCELLED = 2;

    private final AtomicInteger state = new AtomicInteger(WAITING);
    private final WaitListener listener;

    Waiter(WaitListener listener) {
        this.listener = listener;
    }

    final boolean isWaiting() {
        return state.get() == WAITING;
    }

    /** Calls the listener unless the wait was withdrawn; true when it did. */
    final boolean finish(boolean changed, RuntimeException failure) {
        if (state.compareAndSet(WAITING, DONE)) {
            try {
                listener.completed(changed, failure);
            } catch (RuntimeException | Error e) {
                Thread.currentThread().getUncaughtExceptionHandler().uncaughtException(Thread.currentThread(), e);
            }
            return true;
        }
        return false;
    }

    @Override
    public final boolean cancel() {
        if (state.compareAndSet(WAITING, CANCELLED)) {
            withdrawn();
            return true;
        }
        return false;
    }

    /** Tells the serving thread to forget this wait. */
    abstract void withdrawn();
}
