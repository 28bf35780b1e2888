package io.plenum.sync;

import io.plenum.segment.Backing;
import io.plenum.segment.OpenMode;
import io.plenum.segment.Segment;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A robust mutual-exclusion lock in shared memory, for threads of any number of processes.
 *
 * <h2>Layout ({@link #SIZE} = 16 bytes, 8-aligned)</h2>
 * <pre>
 *  0               4               8               12              16
 *  +---------------+---------------+---------------+---------------+
 *  | owner u32     | waiters u32   | holderThread  | recoveries u32|
 *  +---------------+---------------+---------------+---------------+
 * </pre>
 * {@code owner} is the holder's {@link OwnerTable} token (0: free); see {@link OwnedWord} for the
 * state machine and {@link Waiting} for the wait protocol.
 *
 * <h2>Two ways to have one</h2>
 * <ul>
 *   <li>Standalone, in a segment of its own: {@link #open(LockOptions)}; closing the mutex
 *       closes the segment.</li>
 *   <li>Embedded in another structure's segment: the creator calls {@link #initialize} on
 *       {@link #SIZE} bytes at an 8-aligned offset, and every process wraps them with
 *       {@link #embedded}, passing the segment's {@link OwnerTable}.</li>
 * </ul>
 *
 * <h2>Robustness</h2>
 * When the holder dies, a waiter finds out within the recovery check interval (default
 * {@link #DEFAULT_RECOVERY_CHECK}, first check after 10 ms of waiting), takes the lock, and is told:
 * {@link LockResult#RECOVERED}, like {@code EOWNERDEAD}. Nobody has to call anything. A holder in
 * another pid namespace is never recovered ({@link #recoverIfDead()} throws
 * {@link ForeignOwnerException}).
 *
 * <h2>Reentrancy</h2>
 * Not reentrant. A thread that locks a mutex it holds (through a blocking acquisition) gets an
 * {@link IllegalStateException} instead of a deadlock; {@link #unlock()} from a thread that does not
 * hold it throws {@link IllegalMonitorStateException}. An asynchronous acquisition
 * ({@link #lockAsync()}) belongs to the process, not a thread: any of its threads may unlock it
 * (a coroutine may resume on another thread).
 *
 * <h2>Interruption</h2>
 * As in {@code java.util.concurrent}: {@link #lock()} ignores interrupts (and keeps the flag);
 * {@link #lockInterruptibly()} and {@link #tryLock(Duration)} throw {@link InterruptedException}
 * within 50 ms.
 */
public final class SharedMutex implements AutoCloseable {
    public static final long SIZE = OwnedWord.SIZE;
    public static final int DEFAULT_OWNER_ENTRIES = 64;
    public static final Duration DEFAULT_RECOVERY_CHECK = Duration.ofMillis(250);

    static final LockSegmentKind KIND = new LockSegmentKind("mutex", "PLMX", 1, entries -> SIZE,
            (memory, offset, entries) -> initialize(memory, offset));

    private final OwnedWord word;
    private final Segment segment;
    private final Runnable release = this::unlock;

    private SharedMutex(OwnedWord word, Segment segment) {
        this.word = word;
        this.segment = segment;
    }

    /** Zeroes a new mutex: for the creator of the segment, before anyone else sees it. */
    public static void initialize(MemorySegment memory, long offset) {
        Waiting.checkWord(memory, offset, "mutex");
        memory.asSlice(offset, SIZE).fill((byte) 0);
    }

    /** The mutex at {@code offset} of a segment whose processes are recorded in {@code owners}. */
    public static SharedMutex embedded(MemorySegment memory, long offset, OwnerTable owners) {
        return embedded(memory, offset, owners, DEFAULT_RECOVERY_CHECK);
    }

    /** As {@link #embedded(MemorySegment, long, OwnerTable)}, checking a waited-on holder every {@code recoveryCheck}. */
    public static SharedMutex embedded(MemorySegment memory, long offset, OwnerTable owners, Duration recoveryCheck) {
        return new SharedMutex(new OwnedWord(memory, offset, owners, checkNanos(recoveryCheck),
                "mutex at offset " + offset + " of " + owners.where()), null);
    }

    /**
     * Opens or creates a standalone mutex whose owner table has {@code ownerEntries} entries (the most
     * processes that use it at once; -1 takes an existing segment's).
     */
    /** Opens or creates the standalone mutex {@code options} describe (see {@link LockOptions}). */
    public static SharedMutex open(LockOptions options) {
        return KIND.openLock(options, (memory, offset, owners, check, segment) ->
                new SharedMutex(new OwnedWord(memory, offset, owners, check, "mutex " + segment.describe()), segment));
    }

    static long checkNanos(Duration recoveryCheck) {
        if (recoveryCheck.isNegative() || recoveryCheck.isZero()) {
            throw new IllegalArgumentException("recoveryCheck must be positive: " + recoveryCheck);
        }
        return recoveryCheck.toNanos();
    }

    /**
     * Blocks until the lock is held. Ignores interrupts (the flag stays set). Hidden from Kotlin
     * ({@link KotlinVerbs}), where {@code lock()} suspends and {@code lockBlocking()} is this.
     */
    @kotlin.Deprecated(message = KotlinVerbs.SUSPENDS_IN_KOTLIN)
    @kotlin.DeprecatedSinceKotlin(hiddenSince = "1.0")
    public LockResult lock() {
        return lockUninterruptibly();
    }

    /** {@link #lock()}, under a name Kotlin sees (for its {@code lockBlocking()}). */
    LockResult lockUninterruptibly() {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return word.acquire(OwnedWord.threadTag(), Waiting.NO_DEADLINE);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } catch (IllegalStateException e) {
            throw word.closed(e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Blocks until the lock is held. */
    public LockResult lockInterruptibly() throws InterruptedException {
        try {
            return word.acquire(OwnedWord.threadTag(), Waiting.NO_DEADLINE);
        } catch (IllegalStateException e) {
            throw word.closed(e);
        }
    }

    /** Takes the lock if it is free now; never waits, never checks a holder's liveness. */
    public LockResult tryLock() {
        try {
            return word.tryAcquire(OwnedWord.threadTag());
        } catch (IllegalStateException e) {
            throw word.closed(e);
        }
    }

    /** Waits at most {@code timeout} for the lock, recovering it from a dead holder. */
    public LockResult tryLock(Duration timeout) throws InterruptedException {
        try {
            return word.acquire(OwnedWord.threadTag(), Deadlines.after(timeout));
        } catch (IllegalStateException e) {
            throw word.closed(e);
        }
    }

    /**
     * Acquires without blocking a thread: the future completes on the per-JVM {@link Reactor}'s
     * thread when the lock is held by this process (any thread may then {@link #unlock()} it).
     * Cancelling the future before it completes leaves the lock alone; if the lock arrives for a
     * future that was cancelled meanwhile, it is released.
     */
    public CompletableFuture<LockResult> lockAsync() {
        word.checkOpen();
        return AsyncAcquisition.start(word);
    }

    /** Releases the lock. */
    public void unlock() {
        try {
            word.release(OwnedWord.threadTag());
        } catch (IllegalStateException e) {
            throw word.closed(e);
        }
    }

    /** Blocks for the lock and returns a guard that releases it on close. */
    public LockGuard guard() {
        return LockGuard.of(lock(), release);
    }

    /** Waits at most {@code timeout}; returns a guard, or null when the timeout passed. */
    public @Nullable LockGuard tryGuard(Duration timeout) throws InterruptedException {
        LockResult result = tryLock(timeout);
        return LockGuard.orNull(result, release);
    }

    /** True when some thread of this process holds the lock. */
    public boolean isHeldByThisProcess() {
        word.checkOpen();
        return word.heldByThisProcess();
    }

    /** True when the calling thread holds the lock through a blocking acquisition. */
    public boolean isHeldByCurrentThread() {
        word.checkOpen();
        return word.heldByCurrentThread();
    }

    /** True when anyone holds the lock. */
    public boolean isLocked() {
        word.checkOpen();
        return word.owner() != OwnerTable.NO_OWNER;
    }

    /** The state of the current holder (NONE when free). */
    public OwnerTable.Status holderStatus() {
        word.checkOpen();
        return word.holderStatus();
    }

    /** Describes the current holder, such as {@code "pid 1234 (owner entry 2)"}. */
    public String describeHolder() {
        word.checkOpen();
        return word.describeHolder();
    }

    /**
     * Frees the lock now if its holder is dead. Returns true when it did.
     *
     * @throws ForeignOwnerException the holder lives in another pid namespace
     */
    public boolean recoverIfDead() {
        word.checkOpen();
        return word.releaseIfDead();
    }

    /** How many dead holders were recovered since the mutex was created, by any process. */
    public int recoveries() {
        word.checkOpen();
        return word.recoveries();
    }

    /** The segment of a standalone mutex (null when embedded). */
    public @Nullable Segment segment() {
        return segment;
    }

    /**
     * Closes a standalone mutex's segment; nothing for an embedded one. Does not release the lock.
     * Afterwards (for an embedded mutex: once its segment is closed) every method but
     * {@link #segment()} throws {@link IllegalStateException} naming the mutex and its segment.
     * Pending asynchronous acquisitions on it fail with {@link IllegalStateException} saying the
     * segment was closed (see {@link Reactor}, "Closing").
     */
    @Override
    public void close() {
        if (segment != null) {
            segment.close();
        }
    }
}
