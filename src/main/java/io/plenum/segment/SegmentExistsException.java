package io.plenum.segment;

/** {@link OpenMode#CREATE_NEW} found something at the path already. */
public class SegmentExistsException extends SegmentException {
    private static final long serialVersionUID = 1L;

    public SegmentExistsException(String message) {
        super(message);
    }
}
