package io.plenum.segment;

/** A segment could not be opened or created; the message names the backing and what was wrong. */
public class SegmentException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SegmentException(String message) {
        super(message);
    }

    public SegmentException(String message, Throwable cause) {
        super(message, cause);
    }
}
