package io.plenum.array;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * Atomic read-modify-write of 8- and 16-bit elements through the aligned 32-bit word that contains
 * them (the hardware and the FFM API have no narrower compare-and-set). The data area starts on a
 * cache line and is padded to 8 bytes, so that word always lies inside it.
 *
 * <p>Invariant: an update changes only the element's own bits of the word; a compare-and-set that
 * fails because a neighbour changed is retried with the new word, so neighbours never lose updates.
 * Plain 8- and 16-bit loads and stores of the element itself are single-copy atomic, so
 * {@code get}/{@code set} use them directly and stay consistent with these updates.
 *
 * <p>Fields are returned zero-extended; callers sign-extend for the signed types. The platform is
 * little-endian (x86-64, AArch64 Linux): the byte at offset {@code o} of a word holds its bits
 * {@code 8*o .. 8*o+7}.
 */
final class Subword {
    static final int SET = 0;
    static final int ADD = 1;
    static final int AND = 2;
    static final int OR = 3;
    static final int XOR = 4;

    private static final VarHandle WORD = ValueLayout.JAVA_INT.varHandle();

    private Subword() {
    }

    /**
     * Applies {@code op} with {@code operand} to the {@code bits}-wide element at {@code offset} of
     * {@code data}; returns the element's previous value, zero-extended. Callers pass constants for
     * {@code bits} and {@code op}, so each call site compiles to its own loop.
     */
    static int getAndUpdate(MemorySegment data, long offset, int bits, int op, int operand) {
        long word = offset & ~3L;
        int shift = (int) (offset & 3) << 3;
        int mask = (-1 >>> (32 - bits)) << shift;
        switch (op) {
            // Bitwise operations leave the other bits of the word alone by construction: one instruction.
            case AND -> {
                return ((int) WORD.getAndBitwiseAnd(data, word, (operand << shift) | ~mask) & mask) >>> shift;
            }
            case OR -> {
                return ((int) WORD.getAndBitwiseOr(data, word, (operand << shift) & mask) & mask) >>> shift;
            }
            case XOR -> {
                return ((int) WORD.getAndBitwiseXor(data, word, (operand << shift) & mask) & mask) >>> shift;
            }
            default -> {
                int current = (int) WORD.getVolatile(data, word);
                while (true) {
                    int field = (current & mask) >>> shift;
                    int updated = op == ADD ? field + operand : operand;
                    int next = (current & ~mask) | ((updated << shift) & mask);
                    int witness = (int) WORD.compareAndExchange(data, word, current, next);
                    if (witness == current) {
                        return field;
                    }
                    current = witness;
                }
            }
        }
    }

    /**
     * Sets the element to {@code value} if it holds {@code expected} (both compared in their low
     * {@code bits} bits); returns the value it held, zero-extended (equal to {@code expected}'s low
     * bits on success).
     */
    static int compareAndExchange(MemorySegment data, long offset, int bits, int expected, int value) {
        long word = offset & ~3L;
        int shift = (int) (offset & 3) << 3;
        int fieldMask = -1 >>> (32 - bits);
        int mask = fieldMask << shift;
        int want = expected & fieldMask;
        int current = (int) WORD.getVolatile(data, word);
        while (true) {
            int field = (current & mask) >>> shift;
            if (field != want) {
                return field;
            }
            int next = (current & ~mask) | ((value << shift) & mask);
            int witness = (int) WORD.compareAndExchange(data, word, current, next);
            if (witness == current) {
                return field;
            }
            current = witness;
        }
    }
}
