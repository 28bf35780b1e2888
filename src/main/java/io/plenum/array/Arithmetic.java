package io.plenum.array;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * Atomic additions that the FFM API does not offer directly: floating-point adds, as a
 * compare-and-set loop on the value (the VarHandle compares bit patterns, so NaN and -0.0 are
 * handled exactly), and the element-type switch of the bulk {@code addRange}.
 */
final class Arithmetic {
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final VarHandle FLOAT = ValueLayout.JAVA_FLOAT.varHandle();
    private static final VarHandle DOUBLE = ValueLayout.JAVA_DOUBLE.varHandle();

    private Arithmetic() {
    }

    /** Adds {@code delta} to the float at {@code offset}; returns the previous value. */
    static float getAndAdd(MemorySegment data, long offset, float delta) {
        float current = (float) FLOAT.getVolatile(data, offset);
        while (true) {
            float witness = (float) FLOAT.compareAndExchange(data, offset, current, current + delta);
            if (Float.floatToRawIntBits(witness) == Float.floatToRawIntBits(current)) {
                return current;
            }
            current = witness;
        }
    }

    /** Adds {@code delta} to the double at {@code offset}; returns the previous value. */
    static double getAndAdd(MemorySegment data, long offset, double delta) {
        double current = (double) DOUBLE.getVolatile(data, offset);
        while (true) {
            double witness = (double) DOUBLE.compareAndExchange(data, offset, current, current + delta);
            if (Double.doubleToRawLongBits(witness) == Double.doubleToRawLongBits(current)) {
                return current;
            }
            current = witness;
        }
    }

    /** Atomically adds the delta of {@code type} at {@code deltaOffset} of {@code deltas} to the element at {@code offset}. */
    static void add(ElementType type, MemorySegment data, long offset, MemorySegment deltas, long deltaOffset) {
        switch (type) {
            case I8, U8 -> Subword.getAndUpdate(data, offset, 8, Subword.ADD,
                    deltas.get(ValueLayout.JAVA_BYTE, deltaOffset));
            case I16, U16 -> Subword.getAndUpdate(data, offset, 16, Subword.ADD,
                    deltas.get(ValueLayout.JAVA_SHORT_UNALIGNED, deltaOffset));
            case I32, U32 -> {
                int previous = (int) INT.getAndAdd(data, offset, deltas.get(ValueLayout.JAVA_INT_UNALIGNED, deltaOffset));
            }
            case I64, U64 -> {
                long previous = (long) LONG.getAndAdd(data, offset, deltas.get(ValueLayout.JAVA_LONG_UNALIGNED, deltaOffset));
            }
            case F32 -> getAndAdd(data, offset, deltas.get(ValueLayout.JAVA_FLOAT_UNALIGNED, deltaOffset));
            case F64 -> getAndAdd(data, offset, deltas.get(ValueLayout.JAVA_DOUBLE_UNALIGNED, deltaOffset));
            case STR -> throw new UnsupportedOperationException("string elements have no arithmetic");
        }
    }
}
