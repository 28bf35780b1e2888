package io.plenum.codec;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;
import java.util.function.Function;

/**
 * Turns values into bytes in shared memory and back. The channel, the map and the shared value
 * store their elements through a codec.
 *
 * <h2>Two ways to write one</h2>
 * The two-method form is enough for any serialisation library (Jackson, protobuf-java, …):
 * <pre>{@code
 * Codec<Order> orders = Codec.of("orders", mapper::writeValueAsBytes, bytes -> mapper.readValue(bytes, Order.class));
 * }</pre>
 * Codecs on allocation-free paths (the built-in {@link Codecs#LONG}, {@link Codecs#INT},
 * {@link Codecs#DOUBLE}) also override {@link #encodeInto} and {@link #decodeFrom} to write and
 * read shared memory directly, and declare their {@link #fixedSize()}.
 *
 * <h2>Trust</h2>
 * Whatever {@link #decode} and {@link #decodeFrom} receive may have been written by any process
 * that can write the segment: they must not trust a length or an offset inside it, and they report
 * malformed input with a {@link CodecException} (the structure adds its name and path). They never
 * receive a slice larger than the encoding the structure stored, and the structure has checked that
 * length against its own bounds. Java serialisation is deliberately not offered: decoding bytes that
 * another process controls is an attack path.
 *
 * <p>Codecs are stateless or thread-safe: one instance serves every thread.
 *
 * @param <T> the value type; values are never null (structures refuse null before encoding)
 */
public interface Codec<T> {
    /** {@link #fixedSize()} of a codec whose encodings vary in length. */
    int VARIABLE_SIZE = -1;

    /** A short name for messages, such as {@code "long"} or {@code "json(Config)"}. */
    String name();

    /** Encodes {@code value} into a new array. May throw any exception for a value it cannot encode. */
    byte[] encode(T value);

    /**
     * Decodes one encoding. {@code bytes} is the caller's private copy, never shared memory.
     *
     * @throws CodecException when the bytes are not a valid encoding
     */
    T decode(byte[] bytes);

    /** The length of every encoding, or {@link #VARIABLE_SIZE}. */
    default int fixedSize() {
        return VARIABLE_SIZE;
    }

    /**
     * Writes the encoding of {@code value} at the start of {@code target} and returns its length.
     * When the encoding is longer than {@code target}, returns that length ({@code >
     * target.byteSize()}) and leaves the contents of {@code target} unspecified: the caller reports
     * the size and must not publish what is there.
     */
    default int encodeInto(T value, MemorySegment target) {
        byte[] bytes = encode(value);
        if (bytes.length <= target.byteSize()) {
            MemorySegment.copy(bytes, 0, target, ValueLayout.JAVA_BYTE, 0, bytes.length);
        }
        return bytes.length;
    }

    /**
     * Decodes the encoding that fills {@code source} exactly. {@code source} may be shared memory
     * that another process can change meanwhile: copy before validating (the default does).
     *
     * @throws CodecException when the bytes are not a valid encoding
     */
    default T decodeFrom(MemorySegment source) {
        return decode(source.toArray(ValueLayout.JAVA_BYTE));
    }

    /** A codec from an encoder and a decoder; decoder failures become {@link CodecException}s. */
    static <T> Codec<T> of(String name, Function<? super T, byte[]> encoder, Function<byte[], ? extends T> decoder) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(encoder, "encoder");
        Objects.requireNonNull(decoder, "decoder");
        return new Codec<>() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public byte[] encode(T value) {
                byte[] bytes = encoder.apply(value);
                if (bytes == null) {
                    throw new CodecException("codec " + name + " encoded a value to null");
                }
                return bytes;
            }

            @Override
            public T decode(byte[] bytes) {
                T value;
                try {
                    value = decoder.apply(bytes);
                } catch (CodecException e) {
                    throw e;
                } catch (RuntimeException e) {
                    throw new CodecException("codec " + name + " cannot decode " + bytes.length + " bytes: " + e, e);
                }
                if (value == null) {
                    throw new CodecException("codec " + name + " decoded " + bytes.length + " bytes to null");
                }
                return value;
            }

            @Override
            public String toString() {
                return "Codec[" + name + "]";
            }
        };
    }
}
