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
 * A pool of doubles in shared memory. {@code get}, {@code set},
 * {@link #addAndGet} and {@link #compareAndSet} are atomic. Compare-and-set compares the bit
 * patterns (as {@link Double#doubleToRawLongBits}), so it matches a NaN it read earlier and tells
 * 0.0 from -0.0.
 */
public final class SharedDoublePool extends SlotPool {
    private static final PoolOpener<SharedDoublePool> OPENER = new PoolOpener<>(PoolVariant.DOUBLE, SharedDoublePool::new);

    /** Doubles live as their raw bits: CAS and add need bitwise compare-and-set on a long. */
    private static final VarHandle BITS = ValueLayout.JAVA_LONG.varHandle();

    private SharedDoublePool(Segment segment) {
        super(segment, PoolVariant.DOUBLE);
    }

    /** Opens or creates the pool {@code options} describe. */
    public static SharedDoublePool open(PoolOptions options) {
        return OPENER.open(options);
    }

    private long offset(int slot) {
        checkSlot(slot);
        return dataOffset + ((long) slot << 3);
    }

    /** Acquire read, as every structure's {@code get} (see {@link #getVolatile}, {@link #getPlain}). */
    public double get(int slot) {
        return Double.longBitsToDouble((long) BITS.getAcquire(memory, offset(slot)));
    }

    /** Release write, as every structure's {@code set} (see {@link #setVolatile}, {@link #setPlain}). */
    public void set(int slot, double value) {
        BITS.setRelease(memory, offset(slot), Double.doubleToRawLongBits(value));
    }

    /** Volatile read: also ordered against this thread's other volatile accesses (sequential consistency). */
    public double getVolatile(int slot) {
        return Double.longBitsToDouble((long) BITS.getVolatile(memory, offset(slot)));
    }

    /** Volatile write: as {@link #set}, and ordered before this thread's later volatile reads. */
    public void setVolatile(int slot, double value) {
        BITS.setVolatile(memory, offset(slot), Double.doubleToRawLongBits(value));
    }

    /** Plain read: no ordering against other accesses; for data another lock or fence already orders. */
    public double getPlain(int slot) {
        return Double.longBitsToDouble((long) BITS.get(memory, offset(slot)));
    }

    /** Plain write: no ordering against other accesses; for data another lock or fence already orders. */
    public void setPlain(int slot, double value) {
        BITS.set(memory, offset(slot), Double.doubleToRawLongBits(value));
    }

    /** Sets {@code value} if the slot holds exactly the bits of {@code expected}; true when it did. */
    public boolean compareAndSet(int slot, double expected, double value) {
        return BITS.compareAndSet(memory, offset(slot), Double.doubleToRawLongBits(expected),
                Double.doubleToRawLongBits(value));
    }

    /** Sets {@code value} and returns the previous value. */
    public double getAndSet(int slot, double value) {
        return Double.longBitsToDouble((long) BITS.getAndSet(memory, offset(slot), Double.doubleToRawLongBits(value)));
    }

    /** Adds {@code delta} atomically and returns the new value. */
    public double addAndGet(int slot, double delta) {
        long offset = offset(slot);
        while (true) {
            long bits = (long) BITS.getVolatile(memory, offset);
            double updated = Double.longBitsToDouble(bits) + delta;
            if (BITS.compareAndSet(memory, offset, bits, Double.doubleToRawLongBits(updated))) {
                return updated;
            }
        }
    }

    /**
     * Allocates a slot holding {@code value} (written before anyone sees it allocated),
     * waiting as long as it takes. Hidden from Kotlin ({@link KotlinVerbs}), where
     * {@code allocAndSet(value)} suspends and {@code allocAndSetBlocking(value)} is this.
     */
    @kotlin.Deprecated(message = KotlinVerbs.SUSPENDS_IN_KOTLIN)
    @kotlin.DeprecatedSinceKotlin(hiddenSince = "1.0")
    public int allocAndSet(double value) throws InterruptedException {
        return allocWriting(Waiting.NO_DEADLINE, writing(value));
    }

    /** As {@link #allocAndSet(double)}, waiting at most {@code timeout}; null when it passed first. Hidden from Kotlin. */
    @kotlin.Deprecated(message = KotlinVerbs.SUSPENDS_IN_KOTLIN)
    @kotlin.DeprecatedSinceKotlin(hiddenSince = "1.0")
    public @Nullable Integer allocAndSet(double value, Duration timeout) throws InterruptedException {
        return boxed(allocWriting(deadline(timeout), writing(value)));
    }

    /** Allocates a slot holding {@code value} if one is free now; null when the pool is full. */
    public @Nullable Integer tryAllocAndSet(double value) {
        return boxed(tryAllocWriting(writing(value)));
    }

    /**
     * As {@link #allocAsync()}, with the slot holding {@code value} before anyone sees it
     * allocated; a value the pool refuses is refused here, before any wait.
     */
    public CompletableFuture<Integer> allocAndSetAsync(double value) {
        return allocWritingAsync(writing(value));
    }

    /** Writes {@code value} into a claimed slot; checks it first, so bad input claims nothing. */
    SlotWriter writing(double value) {
        return offset -> BITS.setVolatile(memory, offset, Double.doubleToRawLongBits(value));
    }
}
