package io.plenum.segment;

/** {@link OpenMode#OPEN_EXISTING} found nothing to open. */
public class SegmentNotFoundException extends SegmentException {
    private static final long serialVersionUID = 1L;

    public SegmentNotFoundException(String message) {
        super(message);
    }
}
