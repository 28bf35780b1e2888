package io.plenum.value;

import static io.plenum.value.ValueLayout.DESCRIPTOR_OFFSET;
import static io.plenum.value.ValueLayout.FIRST_BUFFER_OFFSET;
import static io.plenum.value.ValueLayout.GROWS_OFFSET;
import static io.plenum.value.ValueLayout.PRESENT;
import static io.plenum.value.ValueLayout.STAMP_SIZE;
import static io.plenum.value.ValueLayout.VERSION_OFFSET;
import static io.plenum.value.ValueLayout.WRITING;

import io.plenum.codec.Codec;
import io.plenum.codec.CodecException;
import io.plenum.segment.Segment;
import io.plenum.segment.SegmentFormatException;
import io.plenum.segment.SegmentHeader;
import io.plenum.sync.RestartThrottle;
import io.plenum.sync.Waiting;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

/**
 * The double-buffer protocol of {@link ValueLayout}: lock-free copy-and-validate reads, and writes
 * (callers hold the writer lock) that fill the buffer the descriptor does not name and then publish
 * it in one store. Every word read from shared memory is checked before it is used as an offset or
 * a length; what cannot be explained by a concurrent writer is reported as corruption, so no input
 * makes a reader loop forever or touch memory outside its mapping.
 */
final class ValueBuffers {
    private static final VarHandle LONG = java.lang.foreign.ValueLayout.JAVA_LONG.varHandle();

    private final Segment segment;
    /** The first mapping: the control words are inside it, and it stays valid until the segment closes. */
    private final MemorySegment control;
    private final int maxSize;
    private final String where;
    private final RestartThrottle changeRestarts = new RestartThrottle();

    ValueBuffers(Segment segment, int maxSize, String where) {
        this.segment = segment;
        this.control = segment.memory();
        this.maxSize = maxSize;
        this.where = where;
    }

    MemorySegment control() {
        return control;
    }

    long descriptor() {
        return (long) LONG.getAcquire(control, DESCRIPTOR_OFFSET);
    }

    /** The full version of the value now (0: none yet). */
    long version() {
        while (true) {
            long descriptor = descriptor();
            long full = (long) LONG.getAcquire(control, VERSION_OFFSET);
            long version = versionOf(descriptor, full);
            if (version >= 0) {
                return version;
            }
            if (descriptor() == descriptor) {
                throw corrupt("field version: " + full + " does not match the descriptor (sequence "
                        + Integer.toUnsignedString(ValueLayout.sequenceOf(descriptor)) + ")");
            }
        }
    }

    /**
     * The full version for a descriptor, given the version word read after it: equal, or one ahead
     * (a writer between publishing the two, alive or dead). -1 when they disagree otherwise (a
     * writer moved on meanwhile, or corruption: the caller tells which).
     */
    private static long versionOf(long descriptor, long full) {
        int sequence = descriptor == 0 ? 0 : ValueLayout.sequenceOf(descriptor);
        int ahead = (int) full - sequence;
        if (full < 0 || ahead < 0 || ahead > 1 || full - ahead < (descriptor == 0 ? 0 : 1)) {
            return -1;
        }
        return full - ahead;
    }

    /** The value now, or null when there is none yet. Takes no lock; retries only when lapped by writers. */
    <T> T read(Codec<T> codec) {
        boolean fixed = codec.fixedSize() != Codec.VARIABLE_SIZE;
        while (true) {
            long descriptor = descriptor();
            if (descriptor == 0) {
                return null;
            }
            int sequence = ValueLayout.sequenceOf(descriptor);
            int length = ValueLayout.lengthOf(descriptor);
            if ((descriptor & PRESENT) == 0 || length > maxSize) {
                throw corrupt("field descriptor: 0x" + Long.toHexString(descriptor) + " (length " + length
                        + ", maxSize " + maxSize + ")");
            }
            long offset = (long) LONG.getAcquire(control, ValueLayout.bufferOffsetField(sequence & 1));
            MemorySegment memory = segment.memory();
            if (offset < FIRST_BUFFER_OFFSET || (offset & 7) != 0
                    || offset > memory.byteSize() - STAMP_SIZE - length) {
                if (remapIfGrown(memory) || descriptor() != descriptor) {
                    continue;
                }
                throw corrupt("field buffer " + (sequence & 1) + " offset: " + offset + " with a " + length
                        + "-byte value does not fit in the " + memory.byteSize() + "-byte segment");
            }
            long stamp = (long) LONG.getAcquire(memory, offset);
            if (stamp >= 0 && (int) stamp == sequence) {
                T value = null;
                byte[] copy = null;
                CodecException failure = null;
                if (fixed) {
                    try {
                        value = codec.decodeFrom(memory.asSlice(offset + STAMP_SIZE, length));
                    } catch (CodecException e) {
                        failure = e;
                    }
                } else {
                    // One bulk copy straight into the caller's array: no slice, no second copy.
                    copy = new byte[length];
                    MemorySegment.copy(memory, java.lang.foreign.ValueLayout.JAVA_BYTE, offset + STAMP_SIZE,
                            copy, 0, length);
                }
                VarHandle.loadLoadFence();
                if ((long) LONG.get(memory, offset) == stamp) {
                    if (failure != null) {
                        throw decodeFailure(failure);
                    }
                    return fixed ? value : decode(codec, copy);
                }
            }
            if (descriptor() == descriptor) {
                throw corrupt("buffer " + (sequence & 1) + " at offset " + offset + " field stamp: 0x"
                        + Long.toHexString(stamp) + ", but the descriptor names sequence "
                        + Integer.toUnsignedString(sequence));
            }
        }
    }

    private <T> T decode(Codec<T> codec, byte[] copy) {
        try {
            T value = codec.decode(copy);
            if (value == null) {
                throw new CodecException("codec " + codec.name() + " decoded " + copy.length + " bytes to null");
            }
            return value;
        } catch (CodecException e) {
            throw decodeFailure(e);
        }
    }

    private CodecException decodeFailure(CodecException e) {
        return new CodecException(where + ": the stored value is not a valid encoding: " + e.getMessage(), e);
    }

    /** Remaps when another process published a larger segment. True when the mapping changed. */
    private boolean remapIfGrown(MemorySegment memory) {
        long published = (long) LONG.getAcquire(control, (long) SegmentHeader.MAPPED_SIZE_OFFSET);
        return published > memory.byteSize() && segment.refresh();
    }

    /**
     * Writes {@code value} as the next version and publishes it. The caller holds the writer lock.
     * A value the codec cannot encode, or one over {@code maxSize}, publishes nothing.
     *
     * @return the new version
     */
    <T> long write(Codec<T> codec, T value) {
        long next = version() + 1;
        int buffer = (int) (next & 1);
        segment.refresh();
        MemorySegment memory = segment.memory();
        long offset = checkedBuffer(memory, buffer);
        long capacity = (long) LONG.get(control, ValueLayout.bufferCapacityField(buffer));
        LONG.setOpaque(memory, offset, next | WRITING);
        VarHandle.storeStoreFence();
        int length = codec.encodeInto(value, memory.asSlice(offset + STAMP_SIZE, capacity));
        checkLength(codec, length);
        if (length > capacity) {
            grow(buffer, length, capacity);
            memory = segment.memory();
            offset = checkedBuffer(memory, buffer);
            capacity = (long) LONG.get(control, ValueLayout.bufferCapacityField(buffer));
            LONG.setOpaque(memory, offset, next | WRITING);
            VarHandle.storeStoreFence();
            int again = codec.encodeInto(value, memory.asSlice(offset + STAMP_SIZE, capacity));
            if (again != length) {
                throw new CodecException("codec " + codec.name() + " encoded one value to " + length + " and then "
                        + again + " bytes");
            }
        }
        LONG.setRelease(memory, offset, next);
        LONG.setRelease(control, VERSION_OFFSET, next);
        LONG.setRelease(control, DESCRIPTOR_OFFSET, ValueLayout.descriptor(next, length));
        signalChange();
        return next;
    }

    /**
     * Moves the change word by one and wakes its waiters. The word is a pure signal (waiters compare
     * the version, never the word), so a wake that finds nobody asleep although someone is counted,
     * which a waiter JVM killed asleep would cause on every later write for ever, restarts the count
     * in a new epoch ({@link Waiting#restartSignal}), at most every 100 ms per handle.
     */
    private void signalChange() {
        changeRestarts.bump(control, ValueLayout.CHANGE_OFFSET);
    }

    private <T> void checkLength(Codec<T> codec, int length) {
        if (length < 0) {
            throw new CodecException("codec " + codec.name() + " reported a negative length " + length);
        }
        if (length > maxSize) {
            throw new IllegalArgumentException(where + ": value: " + length + " encoded bytes, above maxSize "
                    + maxSize);
        }
    }

    /** Buffer {@code buffer}'s offset, checked: a writer never writes outside a buffer area. */
    private long checkedBuffer(MemorySegment memory, int buffer) {
        long offset = (long) LONG.get(control, ValueLayout.bufferOffsetField(buffer));
        long capacity = (long) LONG.get(control, ValueLayout.bufferCapacityField(buffer));
        if (offset < FIRST_BUFFER_OFFSET || (offset & 7) != 0 || capacity < 0 || capacity > maxSize + 64L
                || offset > memory.byteSize() - STAMP_SIZE - capacity) {
            throw corrupt("field buffer " + buffer + ": offset " + offset + ", capacity " + capacity
                    + " do not fit in the " + memory.byteSize() + "-byte segment");
        }
        return offset;
    }

    /** Moves buffer {@code buffer} to a new area at the end, at least doubling it (up to maxSize). */
    private void grow(int buffer, int needed, long capacity) {
        if (!segment.header().growable() || segment.fd() < 0) {
            throw new IllegalStateException(where + ": buffer " + buffer + " holds " + capacity
                    + " bytes and this backing cannot grow to " + needed);
        }
        long wanted = Math.min(maxSize, Math.max(needed, 2 * capacity));
        long area = ValueLayout.bufferArea(wanted);
        long offset = ValueLayout.align(segment.memory().byteSize());
        segment.grow(offset + area);
        LONG.setRelease(control, ValueLayout.bufferCapacityField(buffer), area - STAMP_SIZE);
        LONG.setRelease(control, ValueLayout.bufferOffsetField(buffer), offset);
        LONG.getAndAdd(control, GROWS_OFFSET, 1L);
    }

    long grows() {
        return (long) LONG.getVolatile(control, GROWS_OFFSET);
    }

    long publishedSize() {
        return (long) LONG.getAcquire(control, (long) SegmentHeader.MAPPED_SIZE_OFFSET);
    }

    SegmentFormatException corrupt(String what) {
        return new SegmentFormatException(where + ": " + what + "; the segment is corrupt");
    }
}
