package io.plenum.array;

import io.plenum.segment.Backing;
import io.plenum.segment.Segment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ShortBuffer;

/**
 * A shared array of unsigned 16-bit integers ({@link ElementType#U16}), seen from Java as {@code int}
 * values 0..65535 (Kotlin sees {@code UShort}). Bulk operations copy the bits as {@code short[]}.
 *
 * <p>Single-element operations are lock-free: {@link #get} is an acquire read, {@link #set} a
 * release write; the read-modify-writes of {@link NarrowUnsignedArray} are volatile. See
 * {@link SharedArray} for locking and lifecycle.
 */
public final class SharedUnsignedShortArray extends NarrowUnsignedArray<short[]> {
    private static final VarHandle SHORT = ValueLayout.JAVA_SHORT.varHandle();

    private SharedUnsignedShortArray(Segment segment) {
        super(segment, ElementType.U16);
    }

    /** Opens or creates the array {@code options} describe. */
    public static SharedUnsignedShortArray open(ArrayOptions options) {
        return openArray(options, ElementType.U16, SharedUnsignedShortArray::new);
    }

    /** Opens the array at {@code backing}, creating it with {@code capacity} zeros if there is none. */
    public static SharedUnsignedShortArray open(Backing backing, int capacity) {
        return open(ArrayOptions.of(backing).withCapacity(capacity));
    }

    /** Acquire read. */
    public int get(int index) {
        return Short.toUnsignedInt((short) SHORT.getAcquire(data, offset(index)));
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
        SHORT.setRelease(data, offset(index), (short) bits(value, "value"));
    }

    /** Volatile read: also ordered against this thread's other volatile accesses (sequential consistency). */
    public int getVolatile(int index) {
        return Short.toUnsignedInt((short) SHORT.getVolatile(data, offset(index)));
    }

    /** Volatile write: as {@link #set}, and ordered before this thread's later volatile reads. */
    public void setVolatile(int index, int value) {
        SHORT.setVolatile(data, offset(index), (short) bits(value, "value"));
    }

    /** Plain read: no ordering against other accesses; for data another lock or fence already orders. */
    public int getPlain(int index) {
        return Short.toUnsignedInt((short) SHORT.get(data, offset(index)));
    }

    /** Plain write: no ordering against other accesses; for data another lock or fence already orders. */
    public void setPlain(int index, int value) {
        SHORT.set(data, offset(index), (short) bits(value, "value"));
    }

    /** A read-only view of the elements' bits; no copy, valid until {@link #close()}. */
    public ShortBuffer asBuffer() {
        return byteView().asShortBuffer();
    }
}
