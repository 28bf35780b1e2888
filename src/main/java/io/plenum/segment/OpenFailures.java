package io.plenum.segment;

import io.plenum.linux.LinuxException;

/**
 * Turns whatever went wrong while opening or creating a segment into the one exception family a
 * caller catches, {@link SegmentException} and its subclasses, with the original kept as the cause.
 * Two stages differ only in how they read an {@link IllegalArgumentException}: while opening, it is
 * the caller's spec that no segment could satisfy (a capacity out of range), and it stays as it is;
 * while a structure is built over an open segment, it is the segment's contents that are refused
 * (a corrupt owner table), which is a {@link SegmentFormatException}.
 */
final class OpenFailures {
    private OpenFailures() {
    }

    /** The failure of {@link SegmentOpener#open}, naming {@code where}. */
    static RuntimeException whileOpening(String where, Throwable failure) {
        if (failure instanceof IllegalArgumentException argument) {
            return argument;
        }
        return translate(where, failure);
    }

    /** The failure of a structure refusing the segment it was given, naming {@code where}. */
    static RuntimeException whileWrapping(String where, Throwable failure) {
        if (failure instanceof IllegalArgumentException || failure instanceof IllegalStateException
                || failure instanceof IndexOutOfBoundsException) {
            return new SegmentFormatException(where + ": the segment's contents were refused: " + failure.getMessage(), failure);
        }
        return translate(where, failure);
    }

    private static RuntimeException translate(String where, Throwable failure) {
        return switch (failure) {
            case SegmentException segment -> segment;
            case LinuxException linux -> new SegmentException(where + ": " + linux.getMessage(), linux);
            case InternalError fault -> new SegmentException(where + ": a memory access faulted: a page of the file "
                    + "could not be read or supplied (the file was truncated, or its file system is full): "
                    + fault.getMessage(), fault);
            case RuntimeException other -> new SegmentException(where + ": " + other, other);
            // OutOfMemoryError, StackOverflowError and the like say nothing about the segment.
            case Error error -> throw error;
            default -> new SegmentException(where + ": " + failure, failure);
        };
    }
}
