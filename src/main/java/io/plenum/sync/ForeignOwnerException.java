package io.plenum.sync;

/**
 * An owner recorded in shared memory lives in another pid namespace, so this process cannot tell
 * whether it is alive and refuses to recover what it holds.
 */
public class ForeignOwnerException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public ForeignOwnerException(String message) {
        super(message);
    }
}
