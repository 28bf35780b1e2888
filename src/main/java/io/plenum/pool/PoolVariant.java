package io.plenum.pool;

/**
 * What a pool's slots hold: the {@code variant} field of the segment header. The code is part of
 * the memory format (FORMAT.md); never renumber.
 */
public enum PoolVariant {
    /** Raw bytes, any element size from 1 to {@link PoolLayout#MAX_ELEMENT_SIZE}. */
    BYTES(1, "BYTES", -1),
    /** One 64-bit signed integer per slot, with atomic operations. */
    LONG(2, "I64", Long.BYTES),
    /** One 32-bit signed integer per slot, with atomic operations. */
    INT(3, "I32", Integer.BYTES),
    /** One 64-bit IEEE 754 double per slot; add and compare-and-set work on its value. */
    DOUBLE(4, "F64", Double.BYTES),
    /**
     * A byte string of up to {@code maxLength} bytes per slot, stored with its real length so that
     * every byte (trailing NULs included) comes back as it was written. See {@link PoolLayout}.
     */
    STRING(5, "STR", -1);

    private final int code;
    private final String label;
    private final int fixedElementSize;

    PoolVariant(int code, String label, int fixedElementSize) {
        this.code = code;
        this.label = label;
        this.fixedElementSize = fixedElementSize;
    }

    /** The value of the header's {@code variant} field. */
    public int code() {
        return code;
    }

    /** The short name used in messages and benchmark rows, such as {@code "I64"}. */
    public String label() {
        return label;
    }

    /** The element size of a fixed-size variant, or -1 when the creator chooses it. */
    int fixedElementSize() {
        return fixedElementSize;
    }

    /** The variant with header code {@code code}, or null. */
    static PoolVariant ofCode(int code) {
        for (PoolVariant variant : values()) {
            if (variant.code == code) {
                return variant;
            }
        }
        return null;
    }
}
