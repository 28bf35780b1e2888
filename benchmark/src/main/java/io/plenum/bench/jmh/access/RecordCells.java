package io.plenum.bench.jmh.access;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/** Approach (d): the segment and length in a record's final fields, which HotSpot trusts. */
record RecordCells(MemorySegment segment, int length) implements LongCells {

    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    @Override
    public long get(int index) {
        return (long) LONG.getVolatile(segment, (long) check(index) << 3);
    }

    @Override
    public void set(int index, long value) {
        LONG.setVolatile(segment, (long) check(index) << 3, value);
    }

    @Override
    public boolean cas(int index, long expected, long value) {
        return LONG.compareAndSet(segment, (long) check(index) << 3, expected, value);
    }

    private int check(int index) {
        if (Integer.compareUnsigned(index, length) >= 0) {
            throw new IndexOutOfBoundsException("index " + index + " out of bounds for length " + length);
        }
        return index;
    }
}
