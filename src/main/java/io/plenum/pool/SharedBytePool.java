package io.plenum.pool;

import io.plenum.segment.Segment;
import io.plenum.sync.KotlinVerbs;
import io.plenum.sync.Waiting;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A pool of raw byte slots of any size, fixed at creation. {@link #get}/{@link #set} copy; for
 * zero-copy work use {@link #slot(int)} or {@link #data()} (slot i at {@code i * elementSize()}).
 */
public final class SharedBytePool extends SlotPool {
    private static final PoolOpener<SharedBytePool> OPENER = new PoolOpener<>(PoolVariant.BYTES, SharedBytePool::new);

    private SharedBytePool(Segment segment) {
        super(segment, PoolVariant.BYTES);
    }

    /** Opens or creates the pool {@code options} describe. */
    public static SharedBytePool open(PoolOptions options) {
        return OPENER.open(options);
    }

    /** A copy of the slot's {@link #elementSize()} bytes. */
    public byte[] get(int slot) {
        checkSlot(slot);
        byte[] value = new byte[elementSize];
        MemorySegment.copy(memory, ValueLayout.JAVA_BYTE, slotOffset(slot), value, 0, elementSize);
        return value;
    }

    /**
     * Copies the slot's first {@code min(elementSize, target.length)} bytes into {@code target};
     * returns how many.
     */
    public int read(int slot, byte[] target) {
        checkSlot(slot);
        int length = Math.min(elementSize, target.length);
        MemorySegment.copy(memory, ValueLayout.JAVA_BYTE, slotOffset(slot), target, 0, length);
        return length;
    }

    /**
     * Writes {@code value} at the start of the slot and zeroes the rest; throws, writing nothing,
     * when it is longer than {@link #elementSize()}.
     */
    public void set(int slot, byte[] value) {
        checkSlot(slot);
        checkLength(value);
        write(slotOffset(slot), value);
    }

    private void write(long offset, byte[] value) {
        MemorySegment.copy(value, 0, memory, ValueLayout.JAVA_BYTE, offset, value.length);
        if (value.length < elementSize) {
            memory.asSlice(offset + value.length, elementSize - value.length).fill((byte) 0);
        }
    }

    private void checkLength(byte[] value) {
        if (value == null) {
            throw new IllegalArgumentException("value is null");
        }
        if (value.length > elementSize) {
            throw new IllegalArgumentException(where + ": value of " + value.length + " bytes is longer than the slot's "
                    + elementSize);
        }
    }

    /**
     * Allocates a slot holding {@code value} (zero-padded) (written before anyone sees it allocated),
     * waiting as long as it takes. Hidden from Kotlin ({@link KotlinVerbs}), where
     * {@code allocAndSet(value)} suspends and {@code allocAndSetBlocking(value)} is this.
     */
    @kotlin.Deprecated(message = KotlinVerbs.SUSPENDS_IN_KOTLIN)
    @kotlin.DeprecatedSinceKotlin(hiddenSince = "1.0")
    public int allocAndSet(byte[] value) throws InterruptedException {
        return allocWriting(Waiting.NO_DEADLINE, writing(value));
    }

    /** As {@link #allocAndSet(byte[])}, waiting at most {@code timeout}; null when it passed first. Hidden from Kotlin. */
    @kotlin.Deprecated(message = KotlinVerbs.SUSPENDS_IN_KOTLIN)
    @kotlin.DeprecatedSinceKotlin(hiddenSince = "1.0")
    public @Nullable Integer allocAndSet(byte[] value, Duration timeout) throws InterruptedException {
        return boxed(allocWriting(deadline(timeout), writing(value)));
    }

    /** Allocates a slot holding {@code value} if one is free now; null when the pool is full. */
    public @Nullable Integer tryAllocAndSet(byte[] value) {
        return boxed(tryAllocWriting(writing(value)));
    }

    /**
     * As {@link #allocAsync()}, with the slot holding {@code value} before anyone sees it
     * allocated; a value the pool refuses is refused here, before any wait.
     */
    public CompletableFuture<Integer> allocAndSetAsync(byte[] value) {
        return allocWritingAsync(writing(value));
    }

    /** Writes {@code value} into a claimed slot; checks it first, so bad input claims nothing. */
    SlotWriter writing(byte[] value) {
        checkLength(value);
        return offset -> write(offset, value);
    }
}
