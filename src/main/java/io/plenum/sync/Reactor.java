package io.plenum.sync;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
 * passes, or with a failure. Listeners and the completion of returned
 * futures run on a reactor thread: dependent actions ({@code thenRun}…) run there too unless the
 * {@code …Async} variants are used; keep them short. Cancelling a future (or a
 * {@link Registration}) withdraws the wait within microseconds.
 *
 * <h2>Identity of what is waited on</h2>
 * A word is its mapping plus its address (a segment closed and mapped again at the same address is
 * another word); an eventfd wait belongs to the {@link EventNotifier} that owns the fd, never to
 * the fd number, which the kernel reuses.
 *
 * <h2>Closing: one convention for every structure</h2>
 * Closing a structure (a segment, and so any pool, array, lock or other structure in it; an
 * {@link EventNotifier}) ends every wait on it promptly, before its memory is unmapped or its fd
 * closed: a pending future completes exceptionally, a suspended coroutine resumes by throwing, a
 * listener is told {@code (false, failure)}, and the failure is an {@link IllegalStateException}
 * whose message names the structure and says it was closed. Structures that queue requests of
 * their own (a pool's {@code allocAsync}) fail them the same way. Kotlin flows of a closed
 * structure ({@code signals()}, {@code notifications()}) complete normally: closing is their end.
 * A wait registered on an already closed structure throws {@link IllegalStateException} at once.
 *
 * <h2>Thread deaths</h2>
 * A reactor thread never dies silently. If one ends on an unexpected throwable (an
 * {@link Error}, or an uncaught-exception handler that throws), the reactor forgets it first, so
 * that new waits start a replacement thread; then every wait it held fails with an
 * {@link IllegalStateException} whose cause is the throwable, and the throwable goes to the
 * thread's uncaught-exception handler. A listener that throws does not end its thread: what it
 * throws goes to that handler.
 */
public final class Reactor {
    public static final int FUTEX_THREADS = 3;
    public static final int MAX_THREADS = FUTEX_THREADS + 1;
    private static final String THREAD_PREFIX = "plenum-reactor-";

    private static final Reactor SHARED = new Reactor();

    private final AtomicReferenceArray<FutexShard> shards = new AtomicReferenceArray<>(FUTEX_THREADS);
    private volatile EpollLoop epoll;

    private Reactor() {
        // Segments tell us before they unmap, so that waits on their words end first.
        io.plenum.segment.Segment.whenUnmapping(this::closing);
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
        // Submit fails the wait itself if the shard died after it was chosen.
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
            } else if (!future.complete(null)) {
                passOn(memory, offset);
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
            } else if (!future.complete(changed) && changed) {
                passOn(memory, offset);
            }
        });
        return future;
    }

    /**
     * A future told of a change after it was cancelled (the cancel lost the race with the
     * reactor): the wake of one it may have taken goes to the next waiter (see {@link WaitListener}).
     */
    private static void passOn(MemorySegment memory, long offset) {
        try {
            Waiting.wakeOne(memory, offset);
        } catch (IllegalStateException closed) {
            // Unmapped: nobody in this process waits on it any more.
        }
    }

    /**
     * Registers a wait for {@code fd}, an fd that nobody in this JVM closes while it is watched, to
     * become readable. Closing it under a pending wait is a caller's error: the wait then fails
     * when the number is next watched (or never completes, when it is not). Owned eventfds go
     * through {@link EventNotifier}, whose close ends its waits.
     */
    public Registration watchReadable(int fd, WaitListener listener) {
        if (fd < 0) {
            throw new IllegalArgumentException("fd must be >= 0: " + fd);
        }
        if (listener == null) {
            throw new IllegalArgumentException("listener is required");
        }
        while (true) {
            Registration registration = epollLoop().registerRaw(fd, listener);
            if (registration != null) {
                return registration;
            }
        }
    }

    /** A future that completes when {@code fd} is readable; see {@link #watchReadable(int, WaitListener)}. */
    public CompletableFuture<Void> onReadable(int fd) {
        WaitFuture<Void> future = new WaitFuture<>();
        future.registration = watchReadable(fd, completing(future));
        return future;
    }

    /** Registers a wait on an owned fd (see {@link EpollLoop.Source}); throws if it is closed. */
    Registration watchReadable(EpollLoop.Source source, WaitListener listener) {
        if (listener == null) {
            throw new IllegalArgumentException("listener is required");
        }
        while (true) {
            Registration registration = epollLoop().register(source, listener);
            if (registration != null) {
                return registration;
            }
        }
    }

    /** A future that completes when the owned fd is readable. */
    CompletableFuture<Void> onReadable(EpollLoop.Source source) {
        WaitFuture<Void> future = new WaitFuture<>();
        future.registration = watchReadable(source, completing(future));
        return future;
    }

    private static WaitListener completing(CompletableFuture<Void> future) {
        return (readable, failure) -> {
            if (failure != null) {
                future.completeExceptionally(failure);
            } else {
                future.complete(null);
            }
        };
    }

    /**
     * Ends every wait on words of the mappings of {@code scopes}, which their owner is about to
     * unmap (see the class comment, "Closing"): each fails with an {@link IllegalStateException}
     * saying {@code what} was closed, and the words' waiter counts drop before the memory goes.
     * Returns when the reactor threads have done so (at once when none has a wait), or, called from
     * a reactor thread itself, as soon as they were told. Structures call this from their close.
     */
    public void closing(List<MemorySegment.Scope> scopes, String what) {
        List<CountDownLatch> pending = new ArrayList<>();
        for (MemorySegment.Scope scope : scopes) {
            IllegalStateException failure = new IllegalStateException(what + " was closed");
            for (int i = 0; i < FUTEX_THREADS; i++) {
                FutexShard shard = shards.get(i);
                if (shard != null) {
                    pending.add(shard.closing(scope, failure));
                }
            }
        }
        if (Thread.currentThread().getName().startsWith(THREAD_PREFIX)) {
            return; // Waiting for our own thread would never end; it acts on the next step.
        }
        try {
            for (CountDownLatch latch : pending) {
                // A guard only: a shard answers within one step, and a dying one answers at once.
                latch.await(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Eventfd waits registered now and not yet completed or withdrawn. */
    public int pendingFdWaits() {
        EpollLoop loop = epoll;
        return loop == null ? 0 : loop.load();
    }

    /** The reactor threads running now (at most {@link #MAX_THREADS}). */
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
        int index = shardIndex(address);
        FutexShard shard = shards.get(index);
        return shard != null ? shard : startShard(index);
    }

    /** Which futex thread serves the word at {@code address}. */
    static int shardIndex(long address) {
        long mixed = (address >>> 3) * 0x9E3779B97F4A7C15L;
        return (int) ((mixed >>> 32) % FUTEX_THREADS);
    }

    private synchronized FutexShard startShard(int index) {
        FutexShard existing = shards.get(index);
        if (existing != null) {
            return existing;
        }
        FutexShard[] created = new FutexShard[1];
        created[0] = new FutexShard(() -> shards.compareAndSet(index, created[0], null));
        shards.set(index, created[0]);
        Thread.ofPlatform().daemon().name(THREAD_PREFIX + "futex-" + index).start(created[0]);
        return created[0];
    }

    private EpollLoop epollLoop() {
        EpollLoop loop = epoll;
        if (loop != null) {
            return loop;
        }
        synchronized (this) {
            if (epoll == null) {
                EpollLoop[] created = new EpollLoop[1];
                created[0] = new EpollLoop(() -> forgetEpoll(created[0]));
                epoll = created[0];
                Thread.ofPlatform().daemon().name(THREAD_PREFIX + "epoll").start(created[0]);
            }
            return epoll;
        }
    }

    private synchronized void forgetEpoll(EpollLoop dead) {
        if (epoll == dead) {
            epoll = null;
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
