package io.plenum.sync;

/**
 * A writer died in the middle of an update, so the data a {@link Seqlock} guards may be torn.
 * Readers get this until a writer completes a new write.
 */
public class OwnerDiedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public OwnerDiedException(String message) {
        super(message);
    }
}
