package io.plenum.codec;

/**
 * Bytes that are not a valid encoding for a codec (a corrupt or truncated value in shared memory),
 * or a codec that broke its contract. Structures rethrow it with their own name and path, keeping
 * this one as the cause.
 */
public class CodecException extends RuntimeException {
    public CodecException(String message) {
        super(message);
    }

    public CodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
