package io.plenum.pool;

import io.plenum.segment.Segment;
import io.plenum.sync.KotlinVerbs;
import io.plenum.sync.Waiting;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A pool of byte strings of up to {@link #maxLength()} bytes. Each slot
 * stores the value's real length, so every byte comes back, trailing NULs included. Strings are
 * stored as UTF-8; {@link #getBytes}/{@link #set(int, byte[])} take any bytes.
 *
 * <p>A value is several words: a reader racing a writer of the same slot may see a mix of old and
 * new bytes (the length is always one of the two and never above {@code maxLength}). The usual
 * discipline, one holder writes its slot and hands it on, avoids that.
 */
public final class SharedStringPool extends SlotPool {
    private static final PoolOpener<SharedStringPool> OPENER = new PoolOpener<>(PoolVariant.STRING, SharedStringPool::new);

    private static final ValueLayout.OfInt LENGTH = ValueLayout.JAVA_INT_UNALIGNED;

    private final int maxLength;

    private SharedStringPool(Segment segment) {
        super(segment, PoolVariant.STRING);
        this.maxLength = elementSize - (int) PoolLayout.STRING_BYTES_OFFSET;
    }

    /** Opens or creates the pool {@code options} describe. */
    public static SharedStringPool open(PoolOptions options) {
        return OPENER.open(options);
    }

    /** The longest value a slot holds, in bytes. */
    public int maxLength() {
        return maxLength;
    }

    /** The length in bytes of the slot's value. */
    public int length(int slot) {
        checkSlot(slot);
        return readLength(slotOffset(slot), slot);
    }

    private int readLength(long offset, int slot) {
        int length = memory.get(LENGTH, offset);
        if (length < 0 || length > maxLength) {
            throw new IllegalStateException(where + ": slot " + slot + " is corrupt: its length is " + length
                    + " bytes, the pool holds at most " + maxLength);
        }
        return length;
    }

    /** The slot's value decoded as UTF-8. */
    public String get(int slot) {
        return new String(getBytes(slot), StandardCharsets.UTF_8);
    }

    /** The slot's value, every byte of it. */
    public byte[] getBytes(int slot) {
        checkSlot(slot);
        long offset = slotOffset(slot);
        int length = readLength(offset, slot);
        byte[] value = new byte[length];
        MemorySegment.copy(memory, ValueLayout.JAVA_BYTE, offset + PoolLayout.STRING_BYTES_OFFSET, value, 0, length);
        return value;
    }

    /** Stores {@code value} as UTF-8. */
    public void set(int slot, String value) {
        set(slot, encode(value));
    }

    /** Stores {@code value}; throws, writing nothing, when it is longer than {@link #maxLength()}. */
    public void set(int slot, byte[] value) {
        checkSlot(slot);
        checkLength(value);
        write(slotOffset(slot), value);
    }

    private void write(long offset, byte[] value) {
        MemorySegment.copy(value, 0, memory, ValueLayout.JAVA_BYTE, offset + PoolLayout.STRING_BYTES_OFFSET, value.length);
        memory.set(LENGTH, offset, value.length);
    }

    private void checkLength(byte[] value) {
        if (value == null) {
            throw new IllegalArgumentException("value is null");
        }
        if (value.length > maxLength) {
            throw new IllegalArgumentException(where + ": value of " + value.length + " bytes is longer than maxLength "
                    + maxLength);
        }
    }

    private static byte[] encode(String value) {
        if (value == null) {
            throw new IllegalArgumentException("value is null");
        }
        return value.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Allocates a slot holding {@code value} (written before anyone sees it allocated), waiting as
     * long as it takes. Hidden from Kotlin ({@link KotlinVerbs}), where {@code allocAndSet(value)}
     * suspends and {@code allocAndSetBlocking(value)} is this.
     */
    @kotlin.Deprecated(message = KotlinVerbs.SUSPENDS_IN_KOTLIN)
    @kotlin.DeprecatedSinceKotlin(hiddenSince = "1.0")
    public int allocAndSet(String value) throws InterruptedException {
        return allocWriting(Waiting.NO_DEADLINE, writing(value));
    }

    /** As {@link #allocAndSet(String)} for a value already encoded as UTF-8. Hidden from Kotlin. */
    @kotlin.Deprecated(message = KotlinVerbs.SUSPENDS_IN_KOTLIN)
    @kotlin.DeprecatedSinceKotlin(hiddenSince = "1.0")
    public int allocAndSet(byte[] value) throws InterruptedException {
        return allocWriting(Waiting.NO_DEADLINE, writing(value));
    }

    /** As {@link #allocAndSet(String)}, waiting at most {@code timeout}; null when it passed first. Hidden from Kotlin. */
    @kotlin.Deprecated(message = KotlinVerbs.SUSPENDS_IN_KOTLIN)
    @kotlin.DeprecatedSinceKotlin(hiddenSince = "1.0")
    public @Nullable Integer allocAndSet(String value, Duration timeout) throws InterruptedException {
        return boxed(allocWriting(deadline(timeout), writing(value)));
    }

    /** Allocates a slot holding {@code value} if one is free now; null when the pool is full. */
    public @Nullable Integer tryAllocAndSet(String value) {
        return boxed(tryAllocWriting(writing(value)));
    }

    /**
     * As {@link #allocAsync()}, with the slot holding {@code value} before anyone sees it
     * allocated; a value the pool refuses is refused here, before any wait.
     */
    public CompletableFuture<Integer> allocAndSetAsync(String value) {
        return allocWritingAsync(writing(value));
    }

    /** Writes {@code value} into a claimed slot; checks it first, so bad input claims nothing. */
    SlotWriter writing(String value) {
        return writing(encode(value));
    }

    /** Writes UTF-8 {@code bytes} into a claimed slot; checks them first. */
    SlotWriter writing(byte[] bytes) {
        checkLength(bytes);
        return offset -> write(offset, bytes);
    }
}
