package io.plenum.segment;

/**
 * The file under a mapped segment is smaller than the mapping: someone truncated it (or a memory
 * access faulted on a page the file no longer has). The handle that noticed it is unusable from
 * then on: its memory is unmapped, so later accesses throw instead of faulting. Close it and open
 * the segment again (which fails if the file is no longer a valid segment).
 */
public class SegmentTruncatedException extends SegmentException {
    private static final long serialVersionUID = 1L;

    public SegmentTruncatedException(String message) {
        super(message);
    }

    public SegmentTruncatedException(String message, Throwable cause) {
        super(message, cause);
    }
}
