package io.plenum.linux;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code eventfd(2)}: create, add to the counter, and read (drain) it. */
public final class EventFd {
    public static final int EFD_SEMAPHORE = 1;
    public static final int EFD_CLOEXEC = 02000000;
    public static final int EFD_NONBLOCK = 04000;

    private static final MethodHandle EVENTFD = Native.function("eventfd",
            FunctionDescriptor.of(Native.INT, Native.INT, Native.INT));
    private static final MethodHandle READ = Native.function("read",
            FunctionDescriptor.of(Native.LONG, Native.INT, Native.POINTER, Native.LONG));
    private static final MethodHandle WRITE = Native.function("write",
            FunctionDescriptor.of(Native.LONG, Native.INT, Native.POINTER, Native.LONG));

    private EventFd() {
    }

    /** A new eventfd (close-on-exec, non-blocking, plus {@code flags}); returns its fd. */
    public static int create(int initialValue, int flags) {
        MemorySegment capture = Native.scratch().capture;
        int fd;
        try {
            fd = (int) EVENTFD.invokeExact(capture, initialValue, flags | EFD_CLOEXEC | EFD_NONBLOCK);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
        if (fd < 0) {
            throw new LinuxException("eventfd", "initial value " + initialValue, Native.errno(capture));
        }
        return fd;
    }

    /** What {@code /proc/self/fd/N} links to for an eventfd (see {@code proc_pid_fd(5)}). */
    static final String EVENTFD_LINK = "anon_inode:[eventfd]";

    /**
     * Refuses {@code fd} unless it is an eventfd: {@link IllegalArgumentException} naming
     * {@code what} and what the fd is instead; nothing is read from or written to it. One
     * {@code readlink} of {@code /proc/self/fd/N} (attach and open paths only, never per signal).
     */
    public static void requireEventFd(int fd, String what) {
        String target;
        try {
            target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
        } catch (java.io.IOException | UnsupportedOperationException e) {
            throw new IllegalArgumentException(what + " is not an open fd (or /proc is not mounted)", e);
        }
        if (!EVENTFD_LINK.equals(target)) {
            throw new IllegalArgumentException(what + " is not an eventfd: it is " + target);
        }
    }

    /** Adds {@code value} to the counter, waking its readers. Returns false if the counter would overflow. */
    public static boolean write(int fd, long value) {
        Native.Scratch scratch = Native.scratch();
        scratch.word.set(Native.LONG, 0, value);
        long result;
        try {
            result = (long) WRITE.invokeExact(scratch.capture, fd, scratch.word, 8L);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
        if (result == 8) {
            return true;
        }
        int errno = Native.errno(scratch.capture);
        if (errno == Errno.EAGAIN) {
            return false;
        }
        throw new LinuxException("write", "eventfd " + fd, errno);
    }

    /**
     * Reads and resets the counter (or takes 1, for a semaphore eventfd); returns 0 when it was
     * zero (the fd is non-blocking).
     */
    public static long read(int fd) {
        Native.Scratch scratch = Native.scratch();
        long result;
        try {
            result = (long) READ.invokeExact(scratch.capture, fd, scratch.word, 8L);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
        if (result == 8) {
            return scratch.word.get(Native.LONG, 0);
        }
        int errno = Native.errno(scratch.capture);
        if (errno == Errno.EAGAIN) {
            return 0;
        }
        throw new LinuxException("read", "eventfd " + fd, errno);
    }
}
