package io.plenum.linux;

/**
 * The errno values Plenum tells apart. The numbers are the generic Linux ones, the same on x86_64
 * and aarch64.
 */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EFAULT = 14;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int EXDEV = 18;
    public static final int ENODEV = 19;
    public static final int ENOTDIR = 20;
    public static final int EISDIR = 21;
    public static final int EINVAL = 22;
    public static final int ENFILE = 23;
    public static final int EMFILE = 24;
    public static final int EFBIG = 27;
    public static final int ENOSPC = 28;
    public static final int EROFS = 30;
    public static final int ENAMETOOLONG = 36;
    public static final int ENOSYS = 38;
    public static final int ELOOP = 40;
    public static final int EOVERFLOW = 75;
    public static final int ENOTSUP = 95;
    public static final int ETIMEDOUT = 110;

    private Errno() {
    }

    /** Returns the errno's name and meaning, such as {@code "EEXIST (file exists)"}. */
    public static String describe(int errno) {
        String text = switch (errno) {
            case EPERM -> "EPERM (operation not permitted)";
            case ENOENT -> "ENOENT (no such file or directory)";
            case ESRCH -> "ESRCH (no such process)";
            case EINTR -> "EINTR (interrupted by a signal)";
            case EIO -> "EIO (input/output error)";
            case EBADF -> "EBADF (bad file descriptor)";
            case EAGAIN -> "EAGAIN (try again)";
            case ENOMEM -> "ENOMEM (out of memory)";
            case EACCES -> "EACCES (permission denied)";
            case EFAULT -> "EFAULT (bad address)";
            case EBUSY -> "EBUSY (resource busy)";
            case EEXIST -> "EEXIST (file exists)";
            case EXDEV -> "EXDEV (cross-device link)";
            case ENODEV -> "ENODEV (no such device)";
            case ENOTDIR -> "ENOTDIR (not a directory)";
            case EISDIR -> "EISDIR (is a directory)";
            case EINVAL -> "EINVAL (invalid argument)";
            case ENFILE -> "ENFILE (too many open files in system)";
            case EMFILE -> "EMFILE (too many open files)";
            case EFBIG -> "EFBIG (file too large)";
            case ENOSPC -> "ENOSPC (no space left on device)";
            case EROFS -> "EROFS (read-only file system)";
            case ENAMETOOLONG -> "ENAMETOOLONG (file name too long)";
            case ENOSYS -> "ENOSYS (function not implemented)";
            case ELOOP -> "ELOOP (a symbolic link where none is allowed)";
            case EOVERFLOW -> "EOVERFLOW (value too large)";
            case ENOTSUP -> "ENOTSUP (operation not supported)";
            case ETIMEDOUT -> "ETIMEDOUT (timed out)";
            default -> null;
        };
        return text != null ? text : "errno " + errno;
    }
}
