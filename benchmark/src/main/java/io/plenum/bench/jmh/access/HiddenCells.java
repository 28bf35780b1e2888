package io.plenum.bench.jmh.access;

import java.lang.constant.ConstantDescs;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Approach (c): one hidden class per mapping. This class is only a template: its bytes are
 * defined again with {@link MethodHandles.Lookup#defineHiddenClass} for each mapping, with
 * the segment and the length as class data, which the copy's static initialiser moves into
 * {@code static final} fields: JIT constants, so the segment's bounds and liveness data fold.
 * The template itself is never initialised (it has no class data); {@link HiddenCellsFactory}
 * defines the copies.
 */
final class HiddenCells implements LongCells {

    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final MemorySegment SEGMENT;
    private static final int LENGTH;

    static {
        try {
            MethodHandles.Lookup self = MethodHandles.lookup();
            SEGMENT = MethodHandles.classDataAt(self, ConstantDescs.DEFAULT_NAME, MemorySegment.class, 0);
            LENGTH = MethodHandles.classDataAt(self, ConstantDescs.DEFAULT_NAME, Integer.class, 1);
        } catch (IllegalAccessException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Override
    public long get(int index) {
        return (long) LONG.getVolatile(SEGMENT, (long) check(index) << 3);
    }

    @Override
    public void set(int index, long value) {
        LONG.setVolatile(SEGMENT, (long) check(index) << 3, value);
    }

    @Override
    public boolean cas(int index, long expected, long value) {
        return LONG.compareAndSet(SEGMENT, (long) check(index) << 3, expected, value);
    }

    private static int check(int index) {
        if (Integer.compareUnsigned(index, LENGTH) >= 0) {
            throw new IndexOutOfBoundsException("index " + index + " out of bounds for length " + LENGTH);
        }
        return index;
    }
}
