package io.plenum.bench.jmh.access;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * Approach (e): one JVM-wide {@code static final} segment over the whole address space, and a
 * final {@code long} base address per mapping. The segment is a JIT constant (global scope:
 * no liveness check; constant bounds), so an access is the index check, one add and the
 * load. The price: nothing stops an access after the mapping is unmapped; a library using
 * this must keep the range mapped (for example, remapped to anonymous memory on close).
 */
final class ZeroBasedCells implements LongCells {

    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    private final long base;
    private final int length;

    ZeroBasedCells(MemorySegment segment, int length) {
        this.base = segment.address();
        this.length = length;
    }

    @Override
    public long get(int index) {
        return (long) LONG.getVolatile(ALL, base + ((long) check(index) << 3));
    }

    @Override
    public void set(int index, long value) {
        LONG.setVolatile(ALL, base + ((long) check(index) << 3), value);
    }

    @Override
    public boolean cas(int index, long expected, long value) {
        return LONG.compareAndSet(ALL, base + ((long) check(index) << 3), expected, value);
    }

    private int check(int index) {
        if (Integer.compareUnsigned(index, length) >= 0) {
            throw new IndexOutOfBoundsException("index " + index + " out of bounds for length " + length);
        }
        return index;
    }
}
