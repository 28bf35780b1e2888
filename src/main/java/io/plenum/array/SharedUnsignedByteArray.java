package io.plenum.array;

import io.plenum.segment.Backing;
import io.plenum.segment.Segment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;

/**
 * A shared array of unsigned 8-bit integers ({@link ElementType#U8}), seen from Java as {@code int}
 * values 0..255 (Kotlin sees {@code UByte}). Bulk operations copy the bits as {@code byte[]}.
 *
 * <p>Single-element operations are lock-free: {@link #get} is an acquire read, {@link #set} a
 * release write; the read-modify-writes of {@link NarrowUnsignedArray} are volatile. See
 * {@link SharedArray} for locking and lifecycle.
 */
public final class SharedUnsignedByteArray extends NarrowUnsignedArray<byte[]> {
    private static final VarHandle BYTE = ValueLayout.JAVA_BYTE.varHandle();

    private SharedUnsignedByteArray(Segment segment) {
        super(segment, ElementType.U8);
    }

    /** Opens or creates the array {@code options} describe. */
    public static SharedUnsignedByteArray open(ArrayOptions options) {
        return openArray(options, ElementType.U8, SharedUnsignedByteArray::new);
    }

    /** Opens the array at {@code backing}, creating it with {@code capacity} zeros if there is none. */
    public static SharedUnsignedByteArray open(Backing backing, int capacity) {
        return open(ArrayOptions.of(backing).withCapacity(capacity));
    }

    /** Acquire read. */
    public int get(int index) {
        return Byte.toUnsignedInt((byte) BYTE.getAcquire(data, offset(index)));
    }

    /**
     * Release write. Kotlin refuses this method, so that {@code a[i] += d} (a read and a separate
     * write that loses concurrent updates) does not compile: Kotlin writes with {@link #setRelease}.
     */
    @kotlin.Deprecated(message = IndexedWrites.REFUSED)
    @kotlin.DeprecatedSinceKotlin(errorSince = "1.0")
    public void set(int index, int value) {
        setRelease(index, value);
    }

    /** Release write, the same as {@link #set}, under the name Kotlin accepts. */
    public void setRelease(int index, int value) {
        BYTE.setRelease(data, offset(index), (byte) bits(value, "value"));
    }

    /** Volatile read: also ordered against this thread's other volatile accesses (sequential consistency). */
    public int getVolatile(int index) {
        return Byte.toUnsignedInt((byte) BYTE.getVolatile(data, offset(index)));
    }

    /** Volatile write: as {@link #set}, and ordered before this thread's later volatile reads. */
    public void setVolatile(int index, int value) {
        BYTE.setVolatile(data, offset(index), (byte) bits(value, "value"));
    }

    /** Plain read: no ordering against other accesses; for data another lock or fence already orders. */
    public int getPlain(int index) {
        return Byte.toUnsignedInt((byte) BYTE.get(data, offset(index)));
    }

    /** Plain write: no ordering against other accesses; for data another lock or fence already orders. */
    public void setPlain(int index, int value) {
        BYTE.set(data, offset(index), (byte) bits(value, "value"));
    }

    /** A read-only view of the elements' bits; no copy, valid until {@link #close()}. */
    public ByteBuffer asBuffer() {
        return byteView();
    }
}
