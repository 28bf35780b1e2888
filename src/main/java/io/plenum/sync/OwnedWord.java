package io.plenum.sync;

import io.plenum.segment.UseAfterClose;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * The robust exclusive-ownership word shared by {@link SharedMutex}, the writer side of
 * {@link SharedRwLock} and the writer side of {@link Seqlock}.
 *
 * <pre>
 *  0               4               8               12              16
 *  +---------------+---------------+---------------+---------------+
 *  | owner u32     | waiters u32   | holderThread  | recoveries u32|
 *  +---------------+---------------+---------------+---------------+
 * </pre>
 * {@code owner} is an {@link OwnerTable} token (0: free) and, with {@code waiters}, a
 * {@link Waiting} wait word. {@code holderThread} is the low 32 bits of the holding thread's id
 * for blocking acquisitions (0 for asynchronous ones, which any thread of the process may release);
 * it is only read by the holder's own process, to refuse relocking and foreign unlocks.
 * {@code recoveries} counts the dead holders recovered, for statistics.
 *
 * <h2>State machine</h2>
 * free (0) --CAS 0 -&gt; me--&gt; held (me) --store 0, wake one--&gt; free.
 * held (dead token) --CAS dead -&gt; me, recoveries++--&gt; held (me), reported as RECOVERED.
 * Every transition is one CAS or one store of {@code owner}: a process killed at any instruction
 * leaves either a free word or a word holding its own (now dead) token, which a waiter recovers.
 * {@code holderThread} is written after the CAS and cleared before the release store, so a thread
 * never sees its own id next to a token it does not hold.
 */
final class OwnedWord {
    static final long OWNER_OFFSET = 0;
    static final long WAITERS_OFFSET = 4;
    static final long THREAD_OFFSET = 8;
    static final long RECOVERIES_OFFSET = 12;
    static final long SIZE = 16;
    /** The first liveness check of a holder comes after this much waiting. */
    static final long FIRST_CHECK_NANOS = 10_000_000L;

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private final MemorySegment memory;
    private final long offset;
    private final OwnerTable owners;
    private final long checkIntervalNanos;
    private final String what;
    private final boolean wakeAllOnRelease;
    /**
     * The thread of this handle that holds the word through a blocking acquisition, or null. Relock
     * detection must use this JVM-local fact, not {@code holderThread}: thread ids repeat across JVMs,
     * and reading owner and holderThread from shared memory one after the other can pair this
     * process's token with another process's thread of the same id, a false "already held".
     */
    private volatile Thread localHolder;
    /**
     * When this handle's releases began to find the waiter count stale without a break (0: they do
     * not). Per handle and racy on purpose: a race between its threads only moves a restart.
     */
    private long staleSince;

    OwnedWord(MemorySegment memory, long offset, OwnerTable owners, long checkIntervalNanos, String what) {
        this(memory, offset, owners, checkIntervalNanos, what, false);
    }

    /** {@code wakeAllOnRelease}: readers wait on the word too (a rw-lock's writer word). */
    OwnedWord(MemorySegment memory, long offset, OwnerTable owners, long checkIntervalNanos, String what,
              boolean wakeAllOnRelease) {
        Waiting.checkWord(memory, offset, what);
        if (offset > memory.byteSize() - SIZE) {
            throw new IndexOutOfBoundsException(what + " at offset " + offset + " does not fit in "
                    + memory.byteSize() + " bytes (needs " + SIZE + ")");
        }
        this.memory = memory;
        this.offset = offset;
        this.owners = owners;
        this.checkIntervalNanos = checkIntervalNanos;
        this.what = what;
        this.wakeAllOnRelease = wakeAllOnRelease;
    }

    static int threadTag() {
        int tag = (int) Thread.currentThread().threadId();
        return tag == 0 ? 1 : tag;
    }

    MemorySegment memory() {
        return memory;
    }

    long offset() {
        return offset;
    }

    int owner() {
        return (int) INT.getVolatile(memory, offset + OWNER_OFFSET);
    }

    int recoveries() {
        return (int) INT.getVolatile(memory, offset + RECOVERIES_OFFSET);
    }

    /** True when a thread of this process holds the word (any thread). */
    boolean heldByThisProcess() {
        return owner() == owners.currentOwner();
    }

    /** True when the calling thread holds the word through a blocking acquisition. */
    boolean heldByCurrentThread() {
        return localHolder == Thread.currentThread() && owner() == owners.currentOwner();
    }

    /** One CAS from free; {@code tag} is {@link #threadTag()} or 0 for an asynchronous holder. */
    LockResult tryAcquire(int tag) {
        int me = owners.currentOwner();
        if (INT.compareAndSet(memory, offset + OWNER_OFFSET, 0, me)) {
            held(tag);
            return LockResult.ACQUIRED;
        }
        if (tag != 0) {
            checkRelock();
        }
        return LockResult.NOT_ACQUIRED;
    }

    /** Records the new blocking holder, after the CAS that made it one. */
    private void held(int tag) {
        INT.setRelease(memory, offset + THREAD_OFFSET, tag);
        if (tag != 0) {
            localHolder = Thread.currentThread();
        }
    }

    private void checkRelock() {
        if (localHolder == Thread.currentThread()) {
            throw new IllegalStateException(what + " is already held by this thread (it is not reentrant)");
        }
    }

    /**
     * Acquires, waiting until {@code deadlineNanos} ({@link Waiting#NO_DEADLINE}: no limit) and
     * recovering a dead holder. Returns {@link LockResult#NOT_ACQUIRED} only when the deadline passed.
     */
    LockResult acquire(int tag, long deadlineNanos) throws InterruptedException {
        LockResult quick = tryAcquire(tag);
        if (quick.acquired()) {
            return quick;
        }
        int me = owners.currentOwner();
        long start = System.nanoTime();
        long nextCheck = start + Math.min(FIRST_CHECK_NANOS, checkIntervalNanos);
        int spins = 0;
        boolean slept = false;
        try {
            while (true) {
                int holder = owner();
                if (holder == 0) {
                    if (INT.compareAndSet(memory, offset + OWNER_OFFSET, 0, me)) {
                        held(tag);
                        return LockResult.ACQUIRED;
                    }
                    continue;
                }
                if (spins < Waiting.SPIN_TRIES) {
                    spins++;
                    Thread.onSpinWait();
                    continue;
                }
                long now = System.nanoTime();
                if (now - nextCheck >= 0) {
                    nextCheck = now + checkIntervalNanos;
                    if (recoverDead(holder, me, tag)) {
                        return LockResult.RECOVERED;
                    }
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                long sleep = Math.min(Waiting.SLICE_NANOS, nextCheck - now);
                if (deadlineNanos != Waiting.NO_DEADLINE) {
                    long left = deadlineNanos - now;
                    if (left <= 0) {
                        return LockResult.NOT_ACQUIRED;
                    }
                    sleep = Math.min(sleep, left);
                }
                slept = true;
                Waiting.sleep(memory, offset, holder, Math.max(sleep, 1));
            }
        } finally {
            if (slept && !wakeAllOnRelease && owner() == 0) {
                // We may have taken a wake meant for the next waiter and are leaving: pass it on.
                Waiting.wakeOne(memory, offset);
            }
        }
    }

    /** If {@code holder} is dead, takes the word from it for {@code me}; true on success. */
    boolean recoverDead(int holder, int me, int tag) {
        if (holder == 0 || !owners.isDead(holder)) {
            return false;
        }
        if (!INT.compareAndSet(memory, offset + OWNER_OFFSET, holder, me)) {
            return false;
        }
        held(tag);
        INT.getAndAdd(memory, offset + RECOVERIES_OFFSET, 1);
        return true;
    }

    /** If {@code holder} (just read from the word) is dead, frees the word; true when it did. */
    boolean freeIfDead(int holder) {
        if (holder == 0 || !owners.isDead(holder)) {
            return false;
        }
        if (!INT.compareAndSet(memory, offset + OWNER_OFFSET, holder, 0)) {
            return false;
        }
        INT.getAndAdd(memory, offset + RECOVERIES_OFFSET, 1);
        Waiting.wakeAll(memory, offset);
        return true;
    }

    /** Counts a recovery done outside this word (a dead reader's hold, a torn seqlock). */
    void countRecovery() {
        INT.getAndAdd(memory, offset + RECOVERIES_OFFSET, 1);
    }

    /** The thread tag of the holder (0: none, or an asynchronous holder). */
    int holderThread() {
        return (int) INT.getVolatile(memory, offset + THREAD_OFFSET);
    }

    /**
     * Frees the word if its holder is dead, without taking it; true when it did.
     *
     * @throws ForeignOwnerException the holder lives in another pid namespace
     */
    boolean releaseIfDead() {
        int holder = owner();
        OwnerTable.Status status = owners.status(holder);
        if (status == OwnerTable.Status.FOREIGN_NAMESPACE) {
            throw new ForeignOwnerException(what + " is held by " + owners.describe(holder)
                    + " in another pid namespace; its liveness cannot be checked from here, so it is not recovered");
        }
        if (status != OwnerTable.Status.DEAD) {
            return false;
        }
        if (!INT.compareAndSet(memory, offset + OWNER_OFFSET, holder, 0)) {
            return false;
        }
        INT.getAndAdd(memory, offset + RECOVERIES_OFFSET, 1);
        Waiting.wakeAll(memory, offset);
        return true;
    }

    /**
     * Releases the word held by this process ({@code tag}: the releasing thread, checked against a
     * blocking holder).
     *
     * @throws IllegalMonitorStateException this process, or this thread, does not hold it
     */
    void release(int tag) {
        int me = owners.currentOwner();
        int holder = owner();
        if (holder != me) {
            throw new IllegalMonitorStateException(what + " is not held by this process (held by "
                    + owners.describe(holder) + ")");
        }
        int holderThread = (int) INT.getVolatile(memory, offset + THREAD_OFFSET);
        if (holderThread != 0 && holderThread != tag) {
            throw new IllegalMonitorStateException(what + " is held by another thread of this process");
        }
        localHolder = null;
        INT.setRelease(memory, offset + THREAD_OFFSET, 0);
        INT.setVolatile(memory, offset + OWNER_OFFSET, 0);
        int woken = wakeAllOnRelease ? Waiting.wakeAll(memory, offset) : Waiting.wakeOne(memory, offset);
        if (woken == 0) {
            staleCountSeen();
        } else if (staleSince != 0) {
            staleSince = 0;
        }
    }

    /**
     * A release found the count non-zero and nobody asleep: a waiter between counting itself and
     * sleeping, or a waiter killed asleep, whose count would make every later release of every
     * process a syscall. Only when every release of this handle found the same for
     * {@link RestartThrottle#INTERVAL_NANOS} (a waiter in that window wakes or sleeps within
     * microseconds; a contended lock soon has someone asleep to wake) is the count restarted,
     * which leaves the one race {@link Waiting#restartLockCount} describes a small chance.
     */
    private void staleCountSeen() {
        long now = System.nanoTime() | 1; // never 0, which means "not seen"
        long since = staleSince;
        if (since == 0) {
            staleSince = now;
        } else if (now - since >= RestartThrottle.INTERVAL_NANOS) {
            staleSince = 0;
            Waiting.restartLockCount(memory, offset);
        }
    }

    String describeHolder() {
        return owners.describe(owner());
    }

    OwnerTable.Status holderStatus() {
        return owners.status(owner());
    }

    OwnerTable owners() {
        return owners;
    }

    long checkIntervalNanos() {
        return checkIntervalNanos;
    }

    String what() {
        return what;
    }

    /**
     * {@code e}, thrown while using the word, as the use-after-close exception naming the lock and
     * its segment when the memory was closed under it; {@code e} itself otherwise. Catching costs
     * the lock's paths nothing until something is thrown.
     */
    IllegalStateException closed(IllegalStateException e) {
        return UseAfterClose.translate(e, memory, what);
    }

    /** Throws the use-after-close exception when the memory is closed; for paths that are not hot. */
    void checkOpen() {
        UseAfterClose.check(memory, what);
    }
}
