package io.plenum.codec;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The built-in codecs. Numbers are little-endian, as every Plenum format; strings are UTF-8 and a
 * malformed sequence is refused on decode (never replaced silently).
 */
public final class Codecs {
    private static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble DOUBLE_LE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private Codecs() {
    }

    /** 8 bytes, little-endian. */
    public static final Codec<Long> LONG = new Fixed<>("long", 8) {
        @Override
        void write(Long value, MemorySegment target) {
            target.set(LONG_LE, 0, value);
        }

        @Override
        Long read(MemorySegment source) {
            return source.get(LONG_LE, 0);
        }
    };

    /** 4 bytes, little-endian. */
    public static final Codec<Integer> INT = new Fixed<>("int", 4) {
        @Override
        void write(Integer value, MemorySegment target) {
            target.set(INT_LE, 0, value);
        }

        @Override
        Integer read(MemorySegment source) {
            return source.get(INT_LE, 0);
        }
    };

    /** 8 bytes, the IEEE 754 bits little-endian (every NaN payload and -0.0 round-trip exactly). */
    public static final Codec<Double> DOUBLE = new Fixed<>("double", 8) {
        @Override
        void write(Double value, MemorySegment target) {
            target.set(DOUBLE_LE, 0, value);
        }

        @Override
        Double read(MemorySegment source) {
            return source.get(DOUBLE_LE, 0);
        }
    };

    /** UTF-8, any length; decoding refuses malformed input. */
    public static final Codec<String> STRING = new Codec<>() {
        @Override
        public String name() {
            return "string";
        }

        @Override
        public byte[] encode(String value) {
            return value.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String decode(byte[] bytes) {
            try {
                return StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes))
                        .toString();
            } catch (CharacterCodingException e) {
                throw new CodecException("codec string: " + bytes.length + " bytes are not valid UTF-8", e);
            }
        }

        @Override
        public String toString() {
            return "Codec[string]";
        }
    };

    /** The bytes themselves; encode and decode copy, so neither side shares an array with memory. */
    public static final Codec<byte[]> BYTES = new Codec<>() {
        @Override
        public String name() {
            return "bytes";
        }

        @Override
        public byte[] encode(byte[] value) {
            return value.clone();
        }

        @Override
        public byte[] decode(byte[] bytes) {
            return bytes;
        }

        @Override
        public int encodeInto(byte[] value, MemorySegment target) {
            if (value.length <= target.byteSize()) {
                MemorySegment.copy(value, 0, target, ValueLayout.JAVA_BYTE, 0, value.length);
            }
            return value.length;
        }

        @Override
        public String toString() {
            return "Codec[bytes]";
        }
    };

    /**
     * The remaining bytes of a buffer (its position and limit are left as they were); decodes to a
     * new heap buffer at position 0.
     */
    public static final Codec<ByteBuffer> BYTE_BUFFER = new Codec<>() {
        @Override
        public String name() {
            return "byteBuffer";
        }

        @Override
        public byte[] encode(ByteBuffer value) {
            byte[] bytes = new byte[value.remaining()];
            value.duplicate().get(bytes);
            return bytes;
        }

        @Override
        public ByteBuffer decode(byte[] bytes) {
            return ByteBuffer.wrap(bytes);
        }

        @Override
        public int encodeInto(ByteBuffer value, MemorySegment target) {
            int length = value.remaining();
            if (length <= target.byteSize()) {
                target.asSlice(0, length).copyFrom(MemorySegment.ofBuffer(value));
            }
            return length;
        }

        @Override
        public String toString() {
            return "Codec[byteBuffer]";
        }
    };

    /** Checks that a decoded length is the codec's fixed size; names both in the message. */
    static void checkLength(String name, int expected, long actual) {
        if (actual != expected) {
            throw new CodecException("codec " + name + ": an encoding is " + expected + " bytes, got " + actual);
        }
    }

    /** A fixed-size codec that reads and writes shared memory directly (no intermediate array). */
    private abstract static class Fixed<T> implements Codec<T> {
        private final String name;
        private final int size;

        Fixed(String name, int size) {
            this.name = name;
            this.size = size;
        }

        abstract void write(T value, MemorySegment target);

        abstract T read(MemorySegment source);

        @Override
        public final String name() {
            return name;
        }

        @Override
        public final int fixedSize() {
            return size;
        }

        @Override
        public final byte[] encode(T value) {
            byte[] bytes = new byte[size];
            write(value, MemorySegment.ofArray(bytes));
            return bytes;
        }

        @Override
        public final T decode(byte[] bytes) {
            checkLength(name, size, bytes.length);
            return read(MemorySegment.ofArray(bytes));
        }

        @Override
        public final int encodeInto(T value, MemorySegment target) {
            if (target.byteSize() >= size) {
                write(value, target);
            }
            return size;
        }

        @Override
        public final T decodeFrom(MemorySegment source) {
            checkLength(name, size, source.byteSize());
            return read(source);
        }

        @Override
        public String toString() {
            return "Codec[" + name + "]";
        }
    }

}
