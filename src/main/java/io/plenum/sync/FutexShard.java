package io.plenum.sync;

import io.plenum.linux.Clock;
import io.plenum.linux.Futex;
import io.plenum.linux.FutexWaitv;
import io.plenum.linux.LinuxException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One reactor thread watching words with {@code futex_waitv}.
 *
 * <p>Waiters on the same word share one entry. A word is its mapping's {@link MemorySegment.Scope}
 * plus its address, never the address alone: a segment closed and reopened at the same address is
 * a new mapping, and a wait on it must never join (and fail with) an entry of the dead one. The
 * entry counts as one waiter in
 * the word's {@link Waiting wait word}, so wakers in any process wake it. The thread sleeps in one
 * {@code futex_waitv} call on its control word plus the first {@link #DIRECT_WORDS} entries; entries
 * beyond those are polled every {@link #POLL_NANOS} while there are any (reading a few thousand
 * words costs microseconds; 127 words per call is the kernel's limit).
 *
 * <p>Only this thread touches the entries. Other threads hand it registrations and withdrawals
 * through a queue and bump the control word to wake it, so a withdrawal takes effect within
 * microseconds.
 *
 * <p>Closing: {@link #closing} fails, promptly and before the memory is unmapped, the waits on a
 * mapping that its owner is closing (and takes their counts out of the wait words). Death: if the
 * thread ever ends on an unexpected throwable, it first lets the {@link Reactor} forget it (new
 * waits go to a replacement thread), then fails every wait it holds with that cause, and reports
 * the throwable to its uncaught-exception handler.
 *
 * <p>Lost wake-ups: an entry increments the word's waiter count before it reads the value that it
 * passes to {@code futex_waitv}, which the kernel compares again before sleeping (see
 * {@link Waiting}). And a wake of one that this thread took is never dropped: either a waiter is
 * told of the change (its listener then owns the wake and passes it on if it does not use it), or
 * the entry passes it on when it is forgotten (see {@link #forget}).
 */
final class FutexShard implements Runnable {
    static final int DIRECT_WORDS = FutexWaitv.MAX_WORDS - 1;
    static final long POLL_NANOS = 1_000_000L;
    /** Even with nothing to do, rescan this often (a closed segment's waiters get their failure). */
    static final long IDLE_NANOS = 1_000_000_000L;

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private final Arena arena = Arena.ofShared();
    private final MemorySegment control = arena.allocate(Waiting.SIZE, 8);
    private final FutexWaitv vector = new FutexWaitv(arena);
    private final ConcurrentLinkedQueue<WordWaiter> incoming = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Closing> closings = new ConcurrentLinkedQueue<>();
    private final Map<Key, Entry> entries = new LinkedHashMap<>();
    private final AtomicInteger load = new AtomicInteger();
    private final List<Entry> direct = new ArrayList<>(DIRECT_WORDS);

    private final Runnable onDeath;
    /** Set once the thread died: waits handed to it afterwards are failed by whoever hands them. */
    private volatile Throwable death;

    FutexShard(Runnable onDeath) {
        this.onDeath = onDeath;
        // The shard thread always waits on its control word: count it once, for good, so that
        // poke() wakes it (see Waiting: wakers skip the syscall when nobody is counted).
        INT.getAndAdd(control, Waiting.WAITERS_OFFSET, 1);
    }

    /** A word: its mapping (by scope identity) and its address. */
    private record Key(MemorySegment.Scope scope, long address) {
        static Key of(MemorySegment memory, long offset) {
            return new Key(memory.scope(), memory.address() + offset);
        }
    }

    /** A mapping being closed: fail its waits with {@code failure}, then count down. */
    private record Closing(MemorySegment.Scope scope, RuntimeException failure, CountDownLatch done) {
    }

    /** The waiters of one word. */
    private static final class Entry {
        final MemorySegment memory;
        final long offset;
        final List<WordWaiter> waiters = new ArrayList<>(2);
        int watched;
        /** The waiters word after this thread counted itself in ({@link Waiting#countIn}). */
        int counted;
        /** The value read when last scanned: what the thread then slept on (see {@link #forget}). */
        int seen;
        /** Whether the last settle told a listener that the value moved (see {@link #forget}). */
        boolean told;

        Entry(MemorySegment memory, long offset) {
            this.memory = memory;
            this.offset = offset;
        }
    }

    /** Waiters registered here (live ones and those not yet processed). */
    int load() {
        return load.get();
    }

    void submit(WordWaiter waiter) {
        load.incrementAndGet();
        incoming.add(waiter);
        poke();
        Throwable died = death;
        if (died != null) {
            // The thread died after the reactor chose it: it may not have seen this wait.
            failIncoming(died);
        }
    }

    /**
     * Fails, with {@code failure}, the waits on words of {@code scope}, and takes their counts out
     * of the words. Returns a latch that opens when done (at once when this shard has nothing).
     */
    CountDownLatch closing(MemorySegment.Scope scope, RuntimeException failure) {
        CountDownLatch done = new CountDownLatch(1);
        if (load.get() == 0 && incoming.isEmpty()) {
            done.countDown();
            return done;
        }
        closings.add(new Closing(scope, failure, done));
        poke();
        if (death != null) {
            done.countDown();
        }
        return done;
    }

    /** Wakes the thread so that it looks at its queue and its waiters again. */
    void poke() {
        Waiting.add(control, 0, 1);
    }

    @Override
    public void run() {
        try {
            while (true) {
                try {
                    step();
                } catch (LinuxException | IllegalStateException e) {
                    // A word's memory went away between the scan and the call (EFAULT, or a closed
                    // scope while building the vector): the next scan fails its waiters.
                }
            }
        } catch (Throwable t) {
            die(t);
        }
    }

    /** See the class comment: forget, fail everything held, report. Runs on the dying thread. */
    private void die(Throwable t) {
        onDeath.run();
        death = t;
        IllegalStateException failure = deathFailure(t);
        for (Entry entry : entries.values()) {
            try {
                forget(entry);
            } catch (Throwable e) {
                t.addSuppressed(e);
            }
            for (WordWaiter waiter : entry.waiters) {
                try {
                    waiter.finish(false, failure);
                } catch (Throwable e) {
                    // A listener's handler threw too: the other waiters must still be told.
                    t.addSuppressed(e);
                }
            }
        }
        entries.clear();
        failIncoming(t);
        Closing closing;
        while ((closing = closings.poll()) != null) {
            closing.done().countDown();
        }
        Thread thread = Thread.currentThread();
        thread.getUncaughtExceptionHandler().uncaughtException(thread, t);
    }

    private static IllegalStateException deathFailure(Throwable t) {
        return new IllegalStateException(
                "a reactor futex thread failed; its waits are failed, new ones go to a new thread", t);
    }

    private void failIncoming(Throwable t) {
        WordWaiter waiter;
        while ((waiter = incoming.poll()) != null) {
            load.decrementAndGet();
            try {
                waiter.finish(false, deathFailure(t));
            } catch (Throwable e) {
                t.addSuppressed(e);
            }
        }
    }

    private void step() {
        int controlValue = Waiting.value(control, 0);
        WordWaiter next;
        while ((next = incoming.poll()) != null) {
            if (!next.isWaiting()) {
                load.decrementAndGet();
                continue;
            }
            Key key = Key.of(next.memory, next.offset);
            Entry entry = entries.get(key);
            if (entry == null) {
                entry = new Entry(next.memory, next.offset);
                entries.put(key, entry);
            }
            entry.waiters.add(next);
        }
        Closing closing;
        while ((closing = closings.poll()) != null) {
            close(closing);
        }
        long now = System.nanoTime();
        long wakeAt = now + IDLE_NANOS;
        vector.clear();
        vector.add(control, 0, controlValue);
        direct.clear();
        boolean polling = false;
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
            Entry entry = it.next();
            int value;
            try {
                boolean first = entry.watched == 0;
                boolean counting = first || !Waiting.stillCounted(entry.memory, entry.offset, entry.counted);
                while (true) {
                    if (counting) {
                        // Count ourselves before reading the value we will sleep on; again when the
                        // count was restarted (see Waiting) since we counted.
                        entry.counted = Waiting.countIn(entry.memory, entry.offset);
                        entry.watched = 1;
                    }
                    value = (int) INT.getVolatile(entry.memory, entry.offset + Waiting.VALUE_OFFSET);
                    if (Waiting.stillCounted(entry.memory, entry.offset, entry.counted)) {
                        break; // a restart from now on moves the value from this one, and wakes us
                    }
                    counting = true;
                }
                if (first) {
                    entry.seen = value;
                }
            } catch (IllegalStateException closed) {
                fail(entry, new IllegalStateException("the segment of a watched word was closed", closed));
                it.remove();
                continue;
            }
            wakeAt = settle(entry, value, now, wakeAt);
            if (entry.waiters.isEmpty()) {
                forget(entry);
                it.remove();
                continue;
            }
            entry.seen = value;
            entry.told = false;
            if (direct.size() < DIRECT_WORDS) {
                try {
                    vector.add(entry.memory, entry.offset, value);
                    direct.add(entry);
                } catch (IllegalStateException closed) {
                    polling = true;
                }
            } else {
                polling = true;
            }
        }
        if (polling) {
            wakeAt = Math.min(wakeAt, now + POLL_NANOS);
        }
        if (!incoming.isEmpty()) {
            return;
        }
        long sleep = wakeAt - System.nanoTime();
        if (sleep <= 0) {
            return;
        }
        vector.await(Clock.monotonicNanos() + sleep);
    }

    private void close(Closing closing) {
        for (Iterator<Map.Entry<Key, Entry>> it = entries.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Key, Entry> next = it.next();
            if (next.getKey().scope() == closing.scope()) {
                forget(next.getValue());
                fail(next.getValue(), closing.failure());
                it.remove();
            }
        }
        closing.done().countDown();
    }

    /**
     * Completes the waiters whose value moved or whose deadline passed; drops withdrawn ones. Sets
     * {@code entry.told} when a listener was told of a change.
     */
    private long settle(Entry entry, int value, long now, long wakeAt) {
        List<WordWaiter> waiters = entry.waiters;
        entry.told = false;
        for (int i = waiters.size() - 1; i >= 0; i--) {
            WordWaiter waiter = waiters.get(i);
            boolean remove;
            if (!waiter.isWaiting()) {
                remove = true;
            } else if (value != waiter.expected) {
                entry.told |= waiter.finish(true, null);
                remove = true;
            } else if (waiter.deadline != Waiting.NO_DEADLINE && now - waiter.deadline >= 0) {
                waiter.finish(false, null);
                remove = true;
            } else {
                remove = false;
                if (waiter.deadline != Waiting.NO_DEADLINE) {
                    wakeAt = Math.min(wakeAt, waiter.deadline);
                }
            }
            if (remove) {
                waiters.remove(i);
                load.decrementAndGet();
            }
        }
        return wakeAt;
    }

    /**
     * Takes this thread's count out of the word, and passes on a wake it may have taken.
     *
     * <p>Why: wakers of one (a mutex release, a pool free) make {@code FUTEX_WAKE} with a count of
     * one, and the kernel hands it to the first sleeper queued on the word, which may be this
     * thread, asleep in {@code futex_waitv} for an entry whose waiters are all withdrawn by the
     * time it scans (a cancelled acquisition, cancelled allocation requests). Even a thread
     * already woken by its control word (the withdrawal's poke) stays queued on the word until it
     * runs, and takes the wake. If nobody passed it on, a sleeper of another process would wait a
     * full slice, or a sleeper without slices for ever, while the resource is free.
     *
     * <p>When: the entry slept on {@code seen}. A wake of this word can only have reached this
     * thread if the value moved since (wakers change the value first, see {@link Waiting}), so a
     * value still equal to {@code seen} means nothing was taken. If a listener was told of the
     * change it owns the wake (it uses it, or passes it on when it does not, as
     * {@link AsyncAcquisition} and the pool's allocator do). Otherwise the entry passes it on with
     * a wake of one, after taking its own count out, so the wake goes to another waiter and
     * costs no syscall when there is none. A needless wake (the thread was not asleep, or the
     * wake was of all) is a spurious wake-up for one waiter, which re-checks its word: harmless.
     */
    private void forget(Entry entry) {
        if (entry.watched != 0) {
            entry.watched = 0;
            try {
                Waiting.countOut(entry.memory, entry.offset, entry.counted);
                if (!entry.told && Waiting.value(entry.memory, entry.offset) != entry.seen) {
                    Waiting.wakeOne(entry.memory, entry.offset);
                }
            } catch (IllegalStateException closed) {
                // The memory is gone, and its count with it.
            }
        }
    }

    private void fail(Entry entry, RuntimeException failure) {
        for (WordWaiter waiter : entry.waiters) {
            if (waiter.isWaiting()) {
                waiter.finish(false, failure);
            }
            load.decrementAndGet();
        }
        entry.waiters.clear();
    }

    /** A wait on one word, as handed to a shard. */
    static class WordWaiter extends Waiter {
        final MemorySegment memory;
        final long offset;
        final int expected;
        final long deadline;
        final FutexShard shard;

        WordWaiter(MemorySegment memory, long offset, int expected, long deadline, WaitListener listener,
                   FutexShard shard) {
            super(listener);
            this.memory = memory;
            this.offset = offset;
            this.expected = expected;
            this.deadline = deadline;
            this.shard = shard;
        }

        @Override
        void withdrawn() {
            shard.poke();
        }
    }

    /** For tests: whether a futex wake reaches this shard's control word. */
    int wakeControl() {
        return Futex.wakeAll(control, 0);
    }
}
