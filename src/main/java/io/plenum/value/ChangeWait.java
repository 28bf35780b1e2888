package io.plenum.value;

import io.plenum.sync.Reactor;
import io.plenum.sync.Waiting;
import java.util.concurrent.CompletableFuture;

/**
 * One asynchronous wait for a version other than {@code after}: the same protocol as the blocking
 * wait (read the change word, then the version; wait on the word only while the version is
 * unchanged), with the word watched by the per-JVM {@link Reactor}. Every waiter of one value shares
 * the reactor's entry for its word, so a thousand waiters cost one futex wait.
 */
final class ChangeWait extends CompletableFuture<Long> {
    private final MappedValue<?> value;
    private final long after;
    private volatile CompletableFuture<Void> pending;

    ChangeWait(MappedValue<?> value, long after) {
        this.value = value;
        this.after = after;
    }

    /** Completes now if the version moved, else registers with the reactor (and re-arms on a wake). */
    void arm() {
        try {
            if (value.isClosed()) {
                fail(value.closedException());
                return;
            }
            ValueBuffers buffers = value.buffers();
            int signal = Waiting.value(buffers.control(), ValueLayout.CHANGE_OFFSET);
            long version = buffers.version();
            if (version != after) {
                finish(version);
                return;
            }
            CompletableFuture<Void> watch = Reactor.shared().onChange(buffers.control(), ValueLayout.CHANGE_OFFSET, signal);
            pending = watch;
            if (isDone()) {
                watch.cancel(false);
                return;
            }
            watch.whenComplete((ignored, failure) -> {
                if (failure == null) {
                    arm();
                } else if (!MappedValue.isCancellation(failure)) {
                    fail(value.isClosed() ? value.closedException() : failure);
                }
            });
        } catch (RuntimeException e) {
            fail(value.isClosed() ? value.closedException() : e);
        }
    }

    private void finish(long version) {
        value.forget(this);
        complete(version);
    }

    void fail(Throwable failure) {
        value.forget(this);
        if (completeExceptionally(failure)) {
            CompletableFuture<Void> watch = pending;
            if (watch != null) {
                watch.cancel(false);
            }
        }
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        value.forget(this);
        CompletableFuture<Void> watch = pending;
        if (watch != null) {
            watch.cancel(false);
        }
        return cancelled;
    }
}
