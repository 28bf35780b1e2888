package io.plenum.bench.jmh.access;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * Approach (a), Plenum's arrays today: the mapping's slice in an instance field and a
 * mutable {@code bound} (zeroed on close) for the index check.
 */
final class FieldCells implements LongCells {

    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    private final MemorySegment data;
    private int bound;

    FieldCells(MemorySegment data, int length) {
        this.data = data;
        this.bound = length;
    }

    @Override
    public long get(int index) {
        return (long) LONG.getVolatile(data, (long) check(index) << 3);
    }

    @Override
    public void set(int index, long value) {
        LONG.setVolatile(data, (long) check(index) << 3, value);
    }

    @Override
    public boolean cas(int index, long expected, long value) {
        return LONG.compareAndSet(data, (long) check(index) << 3, expected, value);
    }

    private int check(int index) {
        if (Integer.compareUnsigned(index, bound) >= 0) {
            throw new IndexOutOfBoundsException("index " + index + " out of bounds for length " + bound);
        }
        return index;
    }
}
