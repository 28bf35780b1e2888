package io.plenum.sync;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The per-JVM waiter for asynchronous waits: any number of futures and coroutines wait on words
 * (in any number of segments) and on eventfds, served by at most {@link #MAX_THREADS} threads,
 * started on first use: up to {@link #FUTEX_THREADS} {@code futex_waitv} threads (a word's thread
 * is chosen by its address) and one {@code epoll} thread.
 *
 * <h2>Why this shape</h2>
 * {@code futex_waitv} sleeps on at most 128 words. Waiters of the same word share one entry, so
 * the limit is on <em>distinct</em> words. Words are spread over the futex threads by address;
 * each thread sleeps on up to {@link FutexShard#DIRECT_WORDS} of its words at once, and polls its
 * other words every millisecond while it has any (a volatile read each: a few microseconds per
 * thousand words), so the thread count
 * stays fixed however many waiters there are, at the cost of up to 1 ms more latency for those
 * words only. The alternatives were worse here: rotating batches through {@code futex_waitv} with
 * short timeouts makes a syscall per batch and adds a batch period to every wake; a per-segment
 * doorbell word would need every waker of every structure to know it; {@code io_uring} futex
 * operations need a fallback where io_uring is disabled, which is exactly this.
 *
 * <h2>Guarantees</h2>
 * A wait completes when the word's value differs from the expected one (the value is compared
 * again after every wake, so a wait never completes for a spurious wake-up), when its deadline
 * passes, or with a failure (the segment was closed). Listeners and the completion of returned
 * futures run on a reactor thread: dependent actions ({@code thenRun}…) run there too unless the
 * {@code …Async} variants are used; keep them short. Cancelling a future (or a
 * {@link Registration}) withdraws the wait within microseconds.
 */
public final class Reactor {
    public static final int FUTEX_THREADS = 3;
    public static final int MAX_THREADS = FUTEX_THREADS + 1;

    private static final Reactor SHARED = new Reactor();

    private final AtomicReferenceArray<FutexShard> shards = new AtomicReferenceArray<>(FUTEX_THREADS);
    private volatile EpollLoop epoll;

    private Reactor() {
    }

    /** The JVM's reactor. */
    public static Reactor shared() {
        return SHARED;
    }

    /**
     * Registers a wait for the word at {@code offset} (a {@link Waiting wait word}) to leave
     * {@code expected}, until {@code deadlineNanos} ({@link System#nanoTime()};
     * {@link Waiting#NO_DEADLINE}: none). The listener is called once, on a reactor thread, never
     * from within this call.
     */
    public Registration watch(MemorySegment memory, long offset, int expected, long deadlineNanos,
                              WaitListener listener) {
        Waiting.checkWord(memory, offset, "watched word");
        if (listener == null) {
            throw new IllegalArgumentException("listener is required");
        }
        FutexShard shard = shardFor(memory.address() + offset);
        FutexShard.WordWaiter waiter = new FutexShard.WordWaiter(memory, offset, expected, deadlineNanos, listener, shard);
        shard.submit(waiter);
        return waiter;
    }

    /** A future that completes when the word leaves {@code expected}. Cancel it to stop waiting. */
    public CompletableFuture<Void> onChange(MemorySegment memory, long offset, int expected) {
        WaitFuture<Void> future = new WaitFuture<>();
        future.registration = watch(memory, offset, expected, Waiting.NO_DEADLINE, (changed, failure) -> {
            if (failure != null) {
                future.completeExceptionally(failure);
            } else {
                future.complete(null);
            }
        });
        return future;
    }

    /** A future of true when the word leaves {@code expected}, false when {@code timeout} passes first. */
    public CompletableFuture<Boolean> onChange(MemorySegment memory, long offset, int expected, Duration timeout) {
        WaitFuture<Boolean> future = new WaitFuture<>();
        future.registration = watch(memory, offset, expected, Deadlines.after(timeout), (changed, failure) -> {
            if (failure != null) {
                future.completeExceptionally(failure);
            } else {
                future.complete(changed);
            }
        });
        return future;
    }

    /** Registers a wait for {@code fd} to become readable. */
    public Registration watchReadable(int fd, WaitListener listener) {
        if (listener == null) {
            throw new IllegalArgumentException("listener is required");
        }
        return epollLoop().register(fd, listener);
    }

    /** A future that completes when {@code fd} is readable. */
    public CompletableFuture<Void> onReadable(int fd) {
        WaitFuture<Void> future = new WaitFuture<>();
        future.registration = watchReadable(fd, (readable, failure) -> {
            if (failure != null) {
                future.completeExceptionally(failure);
            } else {
                future.complete(null);
            }
        });
        return future;
    }

    /** The reactor threads started so far (at most {@link #MAX_THREADS}). */
    public int threads() {
        int count = epoll != null ? 1 : 0;
        for (int i = 0; i < FUTEX_THREADS; i++) {
            if (shards.get(i) != null) {
                count++;
            }
        }
        return count;
    }

    /** Asynchronous waits registered now and not yet completed or fully withdrawn. */
    public int pendingWordWaits() {
        int total = 0;
        for (int i = 0; i < FUTEX_THREADS; i++) {
            FutexShard shard = shards.get(i);
            if (shard != null) {
                total += shard.load();
            }
        }
        return total;
    }

    /** The shard of a word: by address, so that every waiter of a word shares one entry. */
    private FutexShard shardFor(long address) {
        long mixed = (address >>> 3) * 0x9E3779B97F4A7C15L;
        int index = (int) ((mixed >>> 32) % FUTEX_THREADS);
        FutexShard shard = shards.get(index);
        return shard != null ? shard : startShard(index);
    }

    private synchronized FutexShard startShard(int index) {
        FutexShard existing = shards.get(index);
        if (existing != null) {
            return existing;
        }
        FutexShard shard = new FutexShard();
        Thread.ofPlatform().daemon().name("plenum-reactor-futex-" + index).start(shard);
        shards.set(index, shard);
        return shard;
    }

    private EpollLoop epollLoop() {
        EpollLoop loop = epoll;
        if (loop != null) {
            return loop;
        }
        synchronized (this) {
            if (epoll == null) {
                EpollLoop created = new EpollLoop();
                Thread.ofPlatform().daemon().name("plenum-reactor-epoll").start(created);
                epoll = created;
            }
            return epoll;
        }
    }

    /** A future whose cancellation withdraws its wait. */
    static final class WaitFuture<T> extends CompletableFuture<T> {
        volatile Registration registration;

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            Registration current = registration;
            if (cancelled && current != null) {
                current.cancel();
            }
            return cancelled;
        }
    }
}
