package io.plenum.linux;

/**
 * A Linux call failed. The message names the call, what it was applied to, and the errno
 * (for example {@code open(/dev/shm/x) failed: ENOENT (no such file or directory)}).
 */
public class LinuxException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String call;
    private final int errno;

    public LinuxException(String call, String target, int errno) {
        super(call + "(" + target + ") failed: " + Errno.describe(errno));
        this.call = call;
        this.errno = errno;
    }

    /** The name of the failed call, such as {@code "futex_waitv"}. */
    public String call() {
        return call;
    }

    /** The errno the call left, such as {@link Errno#ENOENT}. */
    public int errno() {
        return errno;
    }
}
