package io.plenum.bench.jmh.access;

import io.plenum.bench.memory.ShmFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Approach (b), the limit: the mapping in a {@code static final} field, mapped once per JVM
 * when this class is initialised. Not a design (one mapping per class); the ideal the others
 * are measured against.
 */
final class StaticCells implements LongCells {

    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final MemorySegment SEGMENT = map();
    private static final int LENGTH = AccessPatternBench.LENGTH;

    private static MemorySegment map() {
        try {
            Path file = ShmFiles.createTemp(ShmFiles.root(), "plenum-bench-static-", AccessPatternBench.BYTES);
            try {
                return ShmFiles.mapSegment(file, AccessPatternBench.BYTES, Arena.ofShared());
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
