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
 * A pool of 32-bit integers in shared memory. Every data operation is
 * atomic and sequentially consistent, like {@link java.util.concurrent.atomic.AtomicIntegerArray}.
 * Data operations check the index only: they work on any slot, allocated or not.
 *
 * <pre>{@code
 * try (SharedIntPool pool = SharedIntPool.open(PoolOptions.of("/dev/shm/jobs").withCapacity(1024))) {
 *     int slot = pool.allocAndSet(42);
 *     pool.addAndGet(slot, 8);     // 50
 *     pool.free(slot);
 * }
 * }</pre>
 */
public final class SharedIntPool extends SlotPool {
    private static final PoolOpener<SharedIntPool> OPENER = new PoolOpener<>(PoolVariant.INT, SharedIntPool::new);

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private SharedIntPool(Segment segment) {
        super(segment, PoolVariant.INT);
    }

    /** Opens or creates the pool {@code options} describe. */
    public static SharedIntPool open(PoolOptions options) {
        return OPENER.open(options);
    }

    private long offset(int slot) {
        checkSlot(slot);
        return dataOffset + ((long) slot << 2);
    }

    /** Acquire read, as every structure's {@code get} (see {@link #getVolatile}, {@link #getPlain}). */
    public int get(int slot) {
        return (int) INT.getAcquire(memory, offset(slot));
    }

    /** Release write, as every structure's {@code set} (see {@link #setVolatile}, {@link #setPlain}). */
    public void set(int slot, int value) {
        INT.setRelease(memory, offset(slot), value);
    }

    /** Volatile read: also ordered against this thread's other volatile accesses (sequential consistency). */
    public int getVolatile(int slot) {
        return (int) INT.getVolatile(memory, offset(slot));
    }

    /** Volatile write: as {@link #set}, and ordered before this thread's later volatile reads. */
    public void setVolatile(int slot, int value) {
        INT.setVolatile(memory, offset(slot), value);
    }

    /** Plain read: no ordering against other accesses; for data another lock or fence already orders. */
    public int getPlain(int slot) {
        return (int) INT.get(memory, offset(slot));
    }

    /** Plain write: no ordering against other accesses; for data another lock or fence already orders. */
    public void setPlain(int slot, int value) {
        INT.set(memory, offset(slot), value);
    }

    /** Sets {@code value} if the slot holds {@code expected}; true when it did. */
    public boolean compareAndSet(int slot, int expected, int value) {
        return INT.compareAndSet(memory, offset(slot), expected, value);
    }

    /** Sets {@code value} if the slot holds {@code expected}; returns what it held (the witness). */
    public int compareAndExchange(int slot, int expected, int value) {
        return (int) INT.compareAndExchange(memory, offset(slot), expected, value);
    }

    /** Sets {@code value} and returns the previous value. */
    public int getAndSet(int slot, int value) {
        return (int) INT.getAndSet(memory, offset(slot), value);
    }

    /** Adds {@code delta} and returns the new value. */
    public int addAndGet(int slot, int delta) {
        return (int) INT.getAndAdd(memory, offset(slot), delta) + delta;
    }

    /** Adds {@code delta} and returns the previous value. */
    public int getAndAdd(int slot, int delta) {
        return (int) INT.getAndAdd(memory, offset(slot), delta);
    }

    public int incrementAndGet(int slot) {
        return addAndGet(slot, 1);
    }

    public int decrementAndGet(int slot) {
        return addAndGet(slot, -1);
    }

    /**
     * Allocates a slot holding {@code value} (written before anyone sees it allocated),
     * waiting as long as it takes. Hidden from Kotlin ({@link KotlinVerbs}), where
     * {@code allocAndSet(value)} suspends and {@code allocAndSetBlocking(value)} is this.
     */
    @kotlin.Deprecated(message = KotlinVerbs.SUSPENDS_IN_KOTLIN)
    @kotlin.DeprecatedSinceKotlin(hiddenSince = "1.0")
    public int allocAndSet(int value) throws InterruptedException {
        return allocWriting(Waiting.NO_DEADLINE, writing(value));
    }

    /** As {@link #allocAndSet(int)}, waiting at most {@code timeout}; null when it passed first. Hidden from Kotlin. */
    @kotlin.Deprecated(message = KotlinVerbs.SUSPENDS_IN_KOTLIN)
    @kotlin.DeprecatedSinceKotlin(hiddenSince = "1.0")
    public @Nullable Integer allocAndSet(int value, Duration timeout) throws InterruptedException {
        return boxed(allocWriting(deadline(timeout), writing(value)));
    }

    /** Allocates a slot holding {@code value} if one is free now; null when the pool is full. */
    public @Nullable Integer tryAllocAndSet(int value) {
        return boxed(tryAllocWriting(writing(value)));
    }

    /**
     * As {@link #allocAsync()}, with the slot holding {@code value} before anyone sees it
     * allocated; a value the pool refuses is refused here, before any wait.
     */
    public CompletableFuture<Integer> allocAndSetAsync(int value) {
        return allocWritingAsync(writing(value));
    }

    /** Writes {@code value} into a claimed slot; checks it first, so bad input claims nothing. */
    SlotWriter writing(int value) {
        return offset -> INT.setVolatile(memory, offset, value);
    }
}
