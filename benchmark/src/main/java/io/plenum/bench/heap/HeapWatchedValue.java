package io.plenum.bench.heap;

import io.plenum.codec.Codec;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The heap reference for a watched {@code SharedValue}: an {@link AtomicReference} holding the
 * value encoded with the same codec, a version, and a blocking wait for a change built the JDK's
 * way: spin a while, then publish the waiting thread and {@link LockSupport#park}; a set unparks
 * it. Publish-then-recheck against set-then-read (all volatile), so no wake is lost. One waiting
 * thread at a time (enough for a ping-pong inbox).
 */
public final class HeapWatchedValue<T> {
    private static final int SPINS = 200; // as Waiting.SPIN_TRIES, the spin before Plenum's futex sleep

    private final Codec<T> codec;
    private final AtomicReference<byte[]> encoded = new AtomicReference<>();
    private final AtomicLong version = new AtomicLong();
    private final AtomicReference<Thread> waiter = new AtomicReference<>();

    public HeapWatchedValue(Codec<T> codec) {
        this.codec = codec;
    }

    /** Encodes and stores {@code value}, bumps the version, wakes the waiter; returns the new version. */
    public long set(T value) {
        encoded.set(codec.encode(value));
        long next = version.incrementAndGet();
        Thread parked = waiter.get();
        if (parked != null) {
            LockSupport.unpark(parked);
        }
        return next;
    }

    /** A private decoded copy of the value, or null before the first set. */
    public T get() {
        byte[] bytes = encoded.get();
        return bytes == null ? null : codec.decode(bytes);
    }

    public long version() {
        return version.get();
    }

    /** Returns the version once it differs from {@code afterVersion}. */
    public long awaitChange(long afterVersion) throws InterruptedException {
        for (int i = 0; i < SPINS; i++) {
            long now = version.get();
            if (now != afterVersion) {
                return now;
            }
            Thread.onSpinWait();
        }
        waiter.set(Thread.currentThread());
        try {
            long now;
            while ((now = version.get()) == afterVersion) {
                LockSupport.park(this);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
            return now;
        } finally {
            waiter.set(null);
        }
    }
}
