package io.plenum.map;

import static io.plenum.map.MapLayout.STRIPE_CHANGES;
import static io.plenum.map.MapLayout.stripeOffset;

import io.plenum.segment.UseAfterClose;
import io.plenum.sync.Reactor;
import io.plenum.sync.Waiting;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Waiting for a key's value to change. Every write of a stripe adds 1 to the stripe's
 * {@code changes} word (a {@link Waiting} wait word) and wakes its waiters; a waiter takes the word,
 * reads the key, and sleeps on the word only while the value is still the one it knows. A change of
 * another key of the stripe wakes it needlessly: it re-reads and sleeps again.
 */
final class MapWaits {
    record Outcome(boolean changed, byte[] value) {
    }

    private final MapStore store;
    private final String name;
    private final Set<CompletableFuture<byte[]>> pending = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    MapWaits(MapStore store, String name) {
        this.store = store;
        this.name = name;
    }

    static long deadline(Duration timeout) {
        if (timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be >= 0: " + timeout);
        }
        long nanos = timeout.toNanos();
        long now = System.nanoTime();
        return nanos >= Long.MAX_VALUE - now ? Waiting.NO_DEADLINE : now + nanos;
    }

    Outcome await(byte[] key, long hash, byte[] current, long deadline) throws InterruptedException {
        int stripe = store.stripeOf(hash);
        long word = stripeOffset(stripe) + STRIPE_CHANGES;
        while (true) {
            MemorySegment mem = store.memory.current();
            int seen = Waiting.value(mem, word);
            byte[] value = store.get(key, key.length, hash);
            if (!Arrays.equals(value, current)) {
                return new Outcome(true, value);
            }
            if (deadline != Waiting.NO_DEADLINE && System.nanoTime() - deadline >= 0) {
                return new Outcome(false, value);
            }
            try {
                Waiting.await(mem, word, seen, deadline);
            } catch (IllegalStateException e) {
                // the handle was closed under this wait (earlier mappings stay mapped until then)
                throw UseAfterClose.translate(e, mem, name);
            }
            if (closed) {
                throw new IllegalStateException(name + " is closed");
            }
        }
    }

    CompletableFuture<byte[]> async(byte[] key, long hash, byte[] current) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        pending.add(result);
        result.whenComplete((v, e) -> pending.remove(result));
        if (closed) {
            result.completeExceptionally(new IllegalStateException(name + " is closed"));
        }
        step(result, key, hash, current);
        return result;
    }

    private void step(CompletableFuture<byte[]> result, byte[] key, long hash, byte[] current) {
        try {
            while (!result.isDone()) {
                long word = stripeOffset(store.stripeOf(hash)) + STRIPE_CHANGES;
                MemorySegment mem = store.memory.current();
                int seen = Waiting.value(mem, word);
                byte[] value = store.get(key, key.length, hash);
                if (!Arrays.equals(value, current)) {
                    result.complete(value);
                    return;
                }
                CompletableFuture<Void> wait = Reactor.shared().onChange(mem, word, seen);
                result.whenComplete((v, e) -> wait.cancel(false));
                if (!wait.isDone()) {
                    wait.whenComplete((v, e) -> {
                        if (e != null && !wait.isCancelled()) {
                            result.completeExceptionally(e);
                        } else if (e == null) {
                            step(result, key, hash, current);
                        }
                    });
                    return;
                }
            }
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
    }

    void close() {
        closed = true;
        IllegalStateException failure = new IllegalStateException(name + " is closed");
        for (CompletableFuture<byte[]> future : pending) {
            future.completeExceptionally(failure);
        }
    }
}
