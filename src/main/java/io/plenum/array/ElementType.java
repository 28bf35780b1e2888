package io.plenum.array;

import org.jspecify.annotations.Nullable;

/**
 * The element type of a shared array: the {@code variant} of its segment header.
 *
 * <p>Numeric elements are stored little-endian at their natural alignment. Java sees the unsigned
 * types in the next wider signed type that holds every value, as the JDK does
 * ({@link Byte#toUnsignedInt}, {@link Integer#toUnsignedLong}): {@link #U8} and {@link #U16} as
 * {@code int}, {@link #U32} as {@code long}. {@link #U64} has no wider primitive: Java sees its 64
 * bits as a {@code long} and reads them with {@link Long#toUnsignedString(long)},
 * {@link Long#compareUnsigned}, {@link Long#divideUnsigned}. Kotlin sees {@code UByte},
 * {@code UShort}, {@code UInt} and {@code ULong}.
 *
 * <p>{@link #STR} elements hold up to a fixed number of bytes each (the {@code maxLength} chosen at
 * creation and recorded in the header) together with their real length.
 */
public enum ElementType {
    I8(1, 1, Kind.SIGNED),
    U8(2, 1, Kind.UNSIGNED),
    I16(3, 2, Kind.SIGNED),
    U16(4, 2, Kind.UNSIGNED),
    I32(5, 4, Kind.SIGNED),
    U32(6, 4, Kind.UNSIGNED),
    I64(7, 8, Kind.SIGNED),
    U64(8, 8, Kind.UNSIGNED),
    F32(9, 4, Kind.FLOATING),
    F64(10, 8, Kind.FLOATING),
    /** Fixed-width strings or byte strings; the width is chosen per array. */
    STR(11, 0, Kind.BYTES);

    /** How the bits of an element are read. */
    public enum Kind { SIGNED, UNSIGNED, FLOATING, BYTES }

    private static final ElementType[] BY_VARIANT = new ElementType[12];

    static {
        for (ElementType type : values()) {
            BY_VARIANT[type.variant] = type;
        }
    }

    private final int variant;
    private final int size;
    private final Kind kind;

    ElementType(int variant, int size, Kind kind) {
        this.variant = variant;
        this.size = size;
        this.kind = kind;
    }

    /** The number stored in the segment header's {@code variant} field. */
    public int variant() {
        return variant;
    }

    /** Bytes per element value; 0 for {@link #STR}, whose width is chosen per array. */
    public int size() {
        return size;
    }

    public Kind kind() {
        return kind;
    }

    /** True for the eight integer types. */
    public boolean isInteger() {
        return kind == Kind.SIGNED || kind == Kind.UNSIGNED;
    }

    /** The type stored as {@code variant}, or null when no type has that number. */
    public static @Nullable ElementType ofVariant(int variant) {
        return variant > 0 && variant < BY_VARIANT.length ? BY_VARIANT[variant] : null;
    }
}
