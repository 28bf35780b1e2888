package io.plenum.pool;

import io.plenum.sync.Reactor;
import io.plenum.sync.Registration;
import io.plenum.sync.WaitListener;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntConsumer;
import org.jspecify.annotations.Nullable;

/**
 * The asynchronous allocations of one pool handle: a FIFO queue of requests served through the
 * JVM's {@link Reactor}, with at most one registration on the pool's {@code freeSignal} word
 * however many requests wait. No thread is blocked per request.
 *
 * <h2>Serving</h2>
 * One thread at a time <em>drains</em> the queue: for the oldest request it reads
 * {@code freeSignal}, tries to claim the slots, and on success publishes them and completes the
 * request; when the pool cannot satisfy it, it registers one wait for {@code freeSignal} to move
 * away from the value read before the attempt (so a free in between is never missed) or for the
 * next recovery scan, whichever comes first. A free wakes one futex waiter; when that is this
 * JVM's reactor, the drain serves exactly one request per freed slot, in order, and re-registers.
 * A request for several slots blocks the ones behind it (FIFO), as a blocking {@code allocN} would.
 *
 * <h2>Cancellation, and why no slot is leaked</h2>
 * A request is a {@link CompletableFuture}. Its slots are published before it is completed; if
 * completing fails because it was cancelled (or timed out, or failed) meanwhile, the drain frees
 * the slots at once. A request that ends any other way than by the drain leaves the queue, and when
 * the queue becomes empty the registration is withdrawn, so nothing stays registered for it.
 *
 * <h2>State is settled before a future completes</h2>
 * Completing a future runs its dependent stages at once, on the completing thread; they may look
 * at the pool. So every path takes the request out of the queue (and out of {@code multiWaiters}),
 * withdraws the registration of an emptied queue and counts its wait before it completes the
 * future: the drain before {@code deliver}, {@link #failAll} before it fails them, and
 * {@code cancel}, {@code completeExceptionally} (also through {@code orTimeout}) before they call
 * the superclass. A dependent stage of a request never sees that request still pending.
 *
 * <h2>Dead owners</h2>
 * The first wait of a non-empty queue ends after {@link SlotPool#FIRST_RECOVERY}, later ones every
 * {@link SlotPool#RECOVERY_INTERVAL}; each time the drain runs {@link SlotClaims#recover()}, so
 * a suspended alloc on a pool full of dead owners' slots gets one, as a blocking alloc does.
 */
final class AsyncAllocator implements WaitListener {
    private static final long FIRST_RECOVERY_NANOS = SlotPool.FIRST_RECOVERY.toNanos();
    private static final long RECOVERY_INTERVAL_NANOS = SlotPool.RECOVERY_INTERVAL.toNanos();

    private final SlotClaims claims;
    private final MemorySegment memory;
    /** Throws {@link IllegalStateException} when the pool is closed. */
    private final Runnable checkOpen;
    /** Requests in arrival order; guarded by this. */
    private final ArrayDeque<Request<?>> queue = new ArrayDeque<>();
    /** True while a thread drains; guarded by this. */
    private boolean draining;
    /** Set when work arrived while a drain was running: it must look again before it stops. */
    private boolean again;
    /** The pending wait on {@code freeSignal}, or null; guarded by this. */
    private Registration registration;
    /** When the drain next scans for dead owners; guarded by this. */
    private long nextRecovery;

    AsyncAllocator(SlotClaims claims, MemorySegment memory, Runnable checkOpen) {
        this.claims = claims;
        this.memory = memory;
        this.checkOpen = checkOpen;
    }

    /** A request for one slot. */
    CompletableFuture<Integer> allocOne() {
        return allocOne(null);
    }

    /** A request for one slot, which {@code fill} fills before it is published (null: none). */
    CompletableFuture<Integer> allocOne(@Nullable IntConsumer fill) {
        return submit(new Request<Integer>(this, 1, fill) {
            @Override
            Integer result(int[] slots, boolean recovered) {
                return slots[0];
            }
        });
    }

    /** A request for one slot of {@code pool} (this allocator's), as a guard that says whether it was recovered. */
    CompletableFuture<PoolSlot> allocSlot(SlotPool pool) {
        return submit(new Request<PoolSlot>(this, 1, null) {
            @Override
            PoolSlot result(int[] slots, boolean recovered) {
                return new PoolSlot(pool, slots[0], recovered);
            }
        });
    }

    /** A request for {@code count} slots, all or nothing. */
    CompletableFuture<int[]> allocMany(int count) {
        return submit(new Request<int[]>(this, count, null) {
            @Override
            int[] result(int[] slots, boolean recovered) {
                return slots;
            }
        });
    }

    private <T> CompletableFuture<T> submit(Request<T> request) {
        checkOpen.run();
        if (request.count > 1) {
            // Counted before it can wait, so that frees wake every waiter meanwhile (see PoolLayout).
            claims.allocator.multiWaiterIn();
        }
        synchronized (this) {
            if (queue.isEmpty()) {
                nextRecovery = System.nanoTime() + FIRST_RECOVERY_NANOS;
            }
            queue.addLast(request);
        }
        drain();
        return request;
    }

    /** Requests waiting now (for tests and statistics). */
    synchronized int pending() {
        return queue.size();
    }

    /** The reactor's call: {@code freeSignal} moved, or the recovery time came. */
    @Override
    public void completed(boolean changed, RuntimeException failure) {
        synchronized (this) {
            registration = null;
        }
        if (failure != null) {
            failAll(failure);
            return;
        }
        if (!drain() && changed && claims.allocator.used() < claims.allocator.capacity()) {
            // The wake of a free reached this JVM, but nobody here wanted the slot any more.
            claims.allocator.wakeAnother();
        }
    }

    /** Serves what it can; false when it found nobody to serve. */
    private boolean drain() {
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
        SlotAllocator allocator = claims.allocator;
        int self = claims.self();
        boolean served = false;
        while (true) {
            Request<?> head;
            synchronized (this) {
                again = false;
                while ((head = queue.peekFirst()) != null && head.isDone()) {
                    removed(queue.pollFirst());
                }
                if (head == null) {
                    withdraw();
                    draining = false;
                    return served;
                }
            }
            int signal = allocator.freeSignal();
            int[] claimed = claims.claimNow(self, head.count);
            if (claimed != null) {
                // The claims are the slots unless one was RECOVERED (rare): only then a decoded copy.
                int[] slots = SlotClaims.anyRecovered(claimed) ? SlotClaims.slots(claimed.clone()) : claimed;
                if (!head.fill(slots)) {
                    continue;
                }
                claims.publishAll(slots, self);
                synchronized (this) {
                    if (queue.remove(head)) {
                        removed(head);
                    }
                }
                head.deliver(slots, claimed);
                served = true;
                continue;
            }
            long now = System.nanoTime();
            boolean recover;
            synchronized (this) {
                recover = now - nextRecovery >= 0;
                if (recover) {
                    nextRecovery = now + RECOVERY_INTERVAL_NANOS;
                }
            }
            if (recover && claims.recover() > 0) {
                continue;
            }
            synchronized (this) {
                if (again) {
                    continue;
                }
                countWaiting();
                if (registration == null) {
                    registration = Reactor.shared().watch(memory, PoolLayout.FREE_SIGNAL_OFFSET, signal,
                            nextRecovery, this);
                }
                draining = false;
                return true;
            }
        }
    }

    /**
     * Counts in {@code waits} the requests that are about to wait for the first time, before any of
     * them can complete (so a dependent stage sees its own wait counted). They are the queue's tail
     * after the last request counted before, since requests join at the tail and every wait counts
     * the whole queue. Caller holds the monitor.
     */
    private void countWaiting() {
        for (var tail = queue.descendingIterator(); tail.hasNext(); ) {
            Request<?> request = tail.next();
            if (request.counted) {
                return;
            }
            request.counted = true;
            claims.countWait();
        }
    }

    /** A request left the queue (exactly once per request); caller holds the monitor. */
    private void removed(Request<?> request) {
        if (request.count > 1) {
            claims.allocator.multiWaiterOut();
        }
    }

    /** Withdraws the pending wait (the queue is empty); caller holds the monitor. */
    private void withdraw() {
        if (registration != null) {
            registration.cancel();
            registration = null;
        }
    }

    /** A request ended without the drain (cancelled, timed out): forget it. */
    private void forget(Request<?> request) {
        synchronized (this) {
            if (!queue.remove(request)) {
                return;
            }
            removed(request);
            if (draining) {
                again = true;
            } else if (queue.isEmpty()) {
                withdraw();
            }
        }
    }

    void failAll(RuntimeException failure) {
        Request<?>[] failed;
        synchronized (this) {
            failed = queue.toArray(new Request<?>[0]);
            queue.clear();
            for (Request<?> request : failed) {
                removed(request);
            }
            withdraw();
        }
        for (Request<?> request : failed) {
            request.completeExceptionally(failure);
        }
    }

    /** One asynchronous allocation. */
    abstract static class Request<T> extends CompletableFuture<T> {
        private final AsyncAllocator owner;
        final int count;
        private final @Nullable IntConsumer fill;

        Request(AsyncAllocator owner, int count, @Nullable IntConsumer fill) {
            this.owner = owner;
            this.count = count;
            this.fill = fill;
        }

        /** The result for the published {@code slots}; {@code recovered} when any was RECOVERED. */
        abstract T result(int[] slots, boolean recovered);

        /**
         * Fills the claimed, unpublished slots; false when the filler threw: the slots are then
         * abandoned (free again, with a wake) and the request fails with what it threw.
         */
        final boolean fill(int[] slots) {
            if (fill == null) {
                return true;
            }
            try {
                for (int slot : slots) {
                    fill.accept(slot);
                }
                return true;
            } catch (RuntimeException | Error e) {
                for (int slot : slots) {
                    owner.claims.abandon(slot);
                }
                completeExceptionally(e);
                return false;
            }
        }

        /**
         * Completes with the published slots ({@code claimed}: their claims), or gives them back
         * when the request ended meanwhile: a recovered slot as RECOVERED, so that the next
         * allocation is told instead.
         */
        final void deliver(int[] slots, int[] claimed) {
            if (!complete(result(slots, SlotClaims.anyRecovered(claimed)))) {
                owner.claims.giveBackAll(claimed);
            }
        }

        /** True once counted in {@code waits} ({@link #countWaiting}); guarded by the allocator. */
        boolean counted;

        // The request leaves the queue (and multiWaiters) BEFORE the future completes: completing
        // runs dependent stages synchronously, and they must see the pool as it is afterwards
        // (pendingAsync() without this request). Forgetting a request that then fails to complete
        // is harmless: it was done already, and every path that completes a request (deliver,
        // failAll, these three) takes it out of the queue first, exactly once (forget checks).

        @Override
        public boolean completeExceptionally(Throwable failure) {
            if (isDone()) {
                return false;
            }
            owner.forget(this);
            return super.completeExceptionally(failure);
        }

        /** Also for a caller that completes the future itself: it leaves the queue first. */
        @Override
        public boolean complete(T value) {
            if (isDone()) {
                return false;
            }
            owner.forget(this);
            return super.complete(value);
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            if (isDone()) {
                return false;
            }
            owner.forget(this);
            return super.cancel(mayInterruptIfRunning);
        }
    }
}
