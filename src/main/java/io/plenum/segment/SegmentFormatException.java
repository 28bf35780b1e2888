package io.plenum.segment;

/**
 * An existing segment is not what was asked for: not a Plenum segment, another kind, version or
 * element type, a geometry that conflicts with the caller's, or a header that does not fit the file.
 * Nothing was written to it.
 */
public class SegmentFormatException extends SegmentException {
    private static final long serialVersionUID = 1L;

    public SegmentFormatException(String message) {
        super(message);
    }

    public SegmentFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
