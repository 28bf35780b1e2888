package io.plenum.pool;

import io.plenum.segment.Segment;
import io.plenum.sync.KotlinVerbs;
import io.plenum.sync.Waiting;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A pool of 64-bit integers in shared memory. Every data operation is
 * atomic and sequentially consistent, like {@link java.util.concurrent.atomic.AtomicLongArray}.
 * Data operations check the index only: they work on any slot, allocated or not.
 *
 * <pre>{@code
 * try (SharedLongPool pool = SharedLongPool.open(PoolOptions.of("/dev/shm/jobs").withCapacity(1024))) {
 *     int slot = pool.allocAndSet(42);
 *     pool.addAndGet(slot, 8);     // 50
 *     pool.free(slot);
 * }
 * }</pre>
 */
public final class SharedLongPool extends SlotPool {
    private static final PoolOpener<SharedLongPool> OPENER = new PoolOpener<>(PoolVariant.LONG, SharedLongPool::new);

    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    private SharedLongPool(Segment segment) {
        super(segment, PoolVariant.LONG);
    }

    /** Opens or creates the pool {@code options} describe. */
    public static SharedLongPool open(PoolOptions options) {
        return OPENER.open(options);
    }

    private long offset(int slot) {
        checkSlot(slot);
        return dataOffset + ((long) slot << 3);
    }

    /** Acquire read, as every structure's {@code get} (see {@link #getVolatile}, {@link #getPlain}). */
    public long get(int slot) {
        return (long) LONG.getAcquire(memory, offset(slot));
    }

    /** Release write, as every structure's {@code set} (see {@link #setVolatile}, {@link #setPlain}). */
    public void set(int slot, long value) {
        LONG.setRelease(memory, offset(slot), value);
    }

    /** Volatile read: also ordered against this thread's other volatile accesses (sequential consistency). */
    public long getVolatile(int slot) {
        return (long) LONG.getVolatile(memory, offset(slot));
    }

    /** Volatile write: as {@link #set}, and ordered before this thread's later volatile reads. */
    public void setVolatile(int slot, long value) {
        LONG.setVolatile(memory, offset(slot), value);
    }

    /** Plain read: no ordering against other accesses; for data another lock or fence already orders. */
    public long getPlain(int slot) {
        return (long) LONG.get(memory, offset(slot));
    }

    /** Plain write: no ordering against other accesses; for data another lock or fence already orders. */
    public void setPlain(int slot, long value) {
        LONG.set(memory, offset(slot), value);
    }

    /** Sets {@code value} if the slot holds {@code expected}; true when it did. */
    public boolean compareAndSet(int slot, long expected, long value) {
        return LONG.compareAndSet(memory, offset(slot), expected, value);
    }

    /** Sets {@code value} if the slot holds {@code expected}; returns what it held (the witness). */
    public long compareAndExchange(int slot, long expected, long value) {
        return (long) LONG.compareAndExchange(memory, offset(slot), expected, value);
    }

    /** Sets {@code value} and returns the previous value. */
    public long getAndSet(int slot, long value) {
        return (long) LONG.getAndSet(memory, offset(slot), value);
    }

    /** Adds {@code delta} and returns the new value. */
    public long addAndGet(int slot, long delta) {
        return (long) LONG.getAndAdd(memory, offset(slot), delta) + delta;
    }

    /** Adds {@code delta} and returns the previous value. */
    public long getAndAdd(int slot, long delta) {
        return (long) LONG.getAndAdd(memory, offset(slot), delta);
    }

    public long incrementAndGet(int slot) {
        return addAndGet(slot, 1L);
    }

    public long decrementAndGet(int slot) {
        return addAndGet(slot, -1L);
    }

    /**
     * Allocates a slot holding {@code value} (written before anyone sees it allocated),
     * waiting as long as it takes. Hidden from Kotlin ({@link KotlinVerbs}), where
     * {@code allocAndSet(value)} suspends and {@code allocAndSetBlocking(value)} is this.
     */
    @kotlin.Deprecated(message = KotlinVerbs.SUSPENDS_IN_KOTLIN)
    @kotlin.DeprecatedSinceKotlin(hiddenSince = "1.0")
    public int allocAndSet(long value) throws InterruptedException {
        return allocWriting(Waiting.NO_DEADLINE, writing(value));
    }

    /** As {@link #allocAndSet(long)}, waiting at most {@code timeout}; null when it passed first. Hidden from Kotlin. */
    @kotlin.Deprecated(message = KotlinVerbs.SUSPENDS_IN_KOTLIN)
    @kotlin.DeprecatedSinceKotlin(hiddenSince = "1.0")
    public @Nullable Integer allocAndSet(long value, Duration timeout) throws InterruptedException {
        return boxed(allocWriting(deadline(timeout), writing(value)));
    }

    /** Allocates a slot holding {@code value} if one is free now; null when the pool is full. */
    public @Nullable Integer tryAllocAndSet(long value) {
        return boxed(tryAllocWriting(writing(value)));
    }

    /**
     * As {@link #allocAsync()}, with the slot holding {@code value} before anyone sees it
     * allocated; a value the pool refuses is refused here, before any wait.
     */
    public CompletableFuture<Integer> allocAndSetAsync(long value) {
        return allocWritingAsync(writing(value));
    }

    /** Writes {@code value} into a claimed slot; checks it first, so bad input claims nothing. */
    SlotWriter writing(long value) {
        return offset -> LONG.setVolatile(memory, offset, value);
    }
}
