package io.plenum.sync;

import java.util.concurrent.CompletableFuture;

/** Lock acquisitions that wait through the {@link Reactor} instead of a thread. */
final class AsyncAcquisition {
    private AsyncAcquisition() {
    }

    static CompletableFuture<LockResult> start(OwnedWord word) {
        throw new UnsupportedOperationException("not yet");
    }

    static CompletableFuture<LockResult> startRead(SharedRwLock lock) {
        throw new UnsupportedOperationException("not yet");
    }

    static CompletableFuture<LockResult> startWrite(SharedRwLock lock) {
        throw new UnsupportedOperationException("not yet");
    }
}
