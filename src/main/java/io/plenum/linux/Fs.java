package io.plenum.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * File and mapping calls: open without following links, create exclusively, size, stat, link and
 * rename without replacing, unlink, flock, seals, mmap. Every failure throws {@link LinuxException}
 * naming the call, the path or fd, and the errno.
 */
public final class Fs {
    public static final int O_RDONLY = 0;
    public static final int O_RDWR = 2;
    public static final int O_CREAT = 0100;
    public static final int O_EXCL = 0200;
    public static final int O_NOFOLLOW = X86() ? 0400000 : 0100000;
    public static final int O_CLOEXEC = 02000000;
    /** An unnamed file in the given directory, to be published later with {@link #linkFd}. */
    public static final int O_TMPFILE = X86() ? 020200000 : 020040000;

    public static final int LOCK_SH = 1;
    public static final int LOCK_EX = 2;
    public static final int LOCK_NB = 4;
    public static final int LOCK_UN = 8;

    public static final int F_SEAL_SEAL = 1;
    public static final int F_SEAL_SHRINK = 2;
    public static final int F_SEAL_GROW = 4;

    public static final int RENAME_NOREPLACE = 1;

    public static final int S_IFMT = 0170000;
    public static final int S_IFREG = 0100000;

    private static final int AT_FDCWD = -100;
    private static final int AT_EMPTY_PATH = 0x1000;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    private static final int STATX_BASIC_STATS = 0x7ff;
    private static final int F_DUPFD_CLOEXEC = 1030;
    private static final int F_ADD_SEALS = 1033;
    private static final int F_GET_SEALS = 1034;
    private static final int PROT_READ = 1;
    private static final int PROT_WRITE = 2;
    private static final int MAP_SHARED = 1;
    private static final int MAP_ANONYMOUS = 0x20;
    private static final int MS_SYNC = 4;

    private static final MethodHandle OPEN = Native.function("open",
            FunctionDescriptor.of(Native.INT, Native.POINTER, Native.INT, Native.INT),
            Linker.Option.firstVariadicArg(2));
    private static final MethodHandle CLOSE = Native.function("close",
            FunctionDescriptor.of(Native.INT, Native.INT));
    private static final MethodHandle FTRUNCATE = Native.function("ftruncate",
            FunctionDescriptor.of(Native.INT, Native.INT, Native.LONG));
    private static final MethodHandle POSIX_FALLOCATE = Native.function("posix_fallocate",
            FunctionDescriptor.of(Native.INT, Native.INT, Native.LONG, Native.LONG));
    private static final MethodHandle FCHMOD = Native.function("fchmod",
            FunctionDescriptor.of(Native.INT, Native.INT, Native.INT));
    private static final MethodHandle STATX = Native.function("statx",
            FunctionDescriptor.of(Native.INT, Native.INT, Native.POINTER, Native.INT, Native.INT, Native.POINTER));
    private static final MethodHandle LINK = Native.function("link",
            FunctionDescriptor.of(Native.INT, Native.POINTER, Native.POINTER));
    private static final MethodHandle LINKAT = Native.function("linkat",
            FunctionDescriptor.of(Native.INT, Native.INT, Native.POINTER, Native.INT, Native.POINTER, Native.INT));
    private static final MethodHandle RENAMEAT2 = Native.function("renameat2",
            FunctionDescriptor.of(Native.INT, Native.INT, Native.POINTER, Native.INT, Native.POINTER, Native.INT));
    private static final MethodHandle UNLINK = Native.function("unlink",
            FunctionDescriptor.of(Native.INT, Native.POINTER));
    private static final MethodHandle FLOCK = Native.function("flock",
            FunctionDescriptor.of(Native.INT, Native.INT, Native.INT));
    private static final MethodHandle FCNTL = Native.function("fcntl",
            FunctionDescriptor.of(Native.INT, Native.INT, Native.INT, Native.INT),
            Linker.Option.firstVariadicArg(2));
    private static final MethodHandle MEMFD_CREATE = Native.function("memfd_create",
            FunctionDescriptor.of(Native.INT, Native.POINTER, Native.INT));
    private static final MethodHandle MMAP = Native.function("mmap",
            FunctionDescriptor.of(Native.LONG, Native.LONG, Native.LONG, Native.INT, Native.INT, Native.INT, Native.LONG));
    private static final MethodHandle MUNMAP = Native.function("munmap",
            FunctionDescriptor.of(Native.INT, Native.LONG, Native.LONG));
    private static final MethodHandle MSYNC = Native.function("msync",
            FunctionDescriptor.of(Native.INT, Native.LONG, Native.LONG, Native.INT));

    private Fs() {
    }

    private static boolean X86() {
        return Native.X86_64;
    }

    /** What {@code statx} says of a file. */
    public record Stat(long size, int mode, int uid, long inode, int deviceMajor, int deviceMinor, int links) {
        public boolean isRegularFile() {
            return (mode & S_IFMT) == S_IFREG;
        }

        /** True when both describe the same file (device and inode). */
        public boolean sameFile(Stat other) {
            return inode == other.inode && deviceMajor == other.deviceMajor && deviceMinor == other.deviceMinor;
        }
    }

    /** {@code open(path, flags, mode)}; returns the fd. */
    public static int open(String path, int flags, int mode) {
        return withPath("open", path, (capture, name) -> (int) OPEN.invokeExact(capture, name, flags, mode));
    }

    public static void close(int fd) {
        int result;
        MemorySegment capture = Native.scratch().capture;
        try {
            result = (int) CLOSE.invokeExact(capture, fd);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
        if (result != 0 && Native.errno(capture) != Errno.EINTR) {
            throw new LinuxException("close", "fd " + fd, Native.errno(capture));
        }
    }

    public static void ftruncate(int fd, long size) {
        withFd("ftruncate", "fd " + fd + ", " + size + " bytes", capture -> (int) FTRUNCATE.invokeExact(capture, fd, size));
    }

    /**
     * Reserves the bytes {@code [offset, offset + length)} of the file, extending it if needed, so
     * that later stores through a mapping never meet a page the file system cannot supply. This is
     * glibc's {@code posix_fallocate}: {@code fallocate(fd, 0, …)}, and where the file system does
     * not support that (EOPNOTSUPP: ramfs, some FUSE and network file systems) glibc's fallback,
     * which writes a zero byte into every block of the range that holds no data yet. ENOSPC when
     * the file system is full; nothing of the range is guaranteed then.
     */
    public static void reserve(int fd, long offset, long length) {
        int result;
        try {
            // posix_fallocate returns the error number instead of setting errno.
            result = (int) POSIX_FALLOCATE.invokeExact(Native.scratch().capture, fd, offset, length);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
        if (result != 0) {
            throw new LinuxException("posix_fallocate", "fd " + fd + ", " + length + " bytes at " + offset, result);
        }
    }

    public static void fchmod(int fd, int mode) {
        withFd("fchmod", "fd " + fd + ", 0" + Integer.toOctalString(mode), capture -> (int) FCHMOD.invokeExact(capture, fd, mode));
    }

    /** {@code flock(fd, operation)}; false when {@link #LOCK_NB} was given and the lock is held elsewhere. */
    public static boolean flock(int fd, int operation) {
        MemorySegment capture = Native.scratch().capture;
        int result;
        try {
            result = (int) FLOCK.invokeExact(capture, fd, operation);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
        if (result == 0) {
            return true;
        }
        int errno = Native.errno(capture);
        if (errno == Errno.EAGAIN && (operation & LOCK_NB) != 0) {
            return false;
        }
        throw new LinuxException("flock", "fd " + fd, errno);
    }

    /** A close-on-exec duplicate of {@code fd}. */
    public static int dup(int fd) {
        return fcntl("F_DUPFD_CLOEXEC", fd, F_DUPFD_CLOEXEC, 0);
    }

    public static void addSeals(int fd, int seals) {
        fcntl("F_ADD_SEALS", fd, F_ADD_SEALS, seals);
    }

    public static int seals(int fd) {
        return fcntl("F_GET_SEALS", fd, F_GET_SEALS, 0);
    }

    /** Sets {@code O_NONBLOCK} on the open file description of {@code fd} (shared with its duplicates). */
    public static void setNonBlocking(int fd) {
        int flags = fcntl("F_GETFL", fd, 3, 0);
        if ((flags & 04000) == 0) {
            fcntl("F_SETFL", fd, 4, flags | 04000);
        }
    }

    private static int fcntl(String what, int fd, int command, int argument) {
        return withFd("fcntl", "fd " + fd + ", " + what, capture -> (int) FCNTL.invokeExact(capture, fd, command, argument));
    }

    /** {@code memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING)}; returns the fd. */
    public static int memfdCreate(String name) {
        return withPath("memfd_create", name, (capture, text) -> (int) MEMFD_CREATE.invokeExact(capture, text, 0x0001 | 0x0002));
    }

    public static Stat fstat(int fd) {
        return statx(fd, "", AT_EMPTY_PATH, "fd " + fd);
    }

    /** Stats the path itself, not what a symbolic link there points to. */
    public static Stat lstat(String path) {
        return statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, path);
    }

    private static Stat statx(int dirFd, String path, int flags, String target) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = Native.capture(arena);
            MemorySegment buffer = arena.allocate(256, 8);
            int result = (int) STATX.invokeExact(capture, dirFd, arena.allocateFrom(path), flags,
                    STATX_BASIC_STATS, buffer);
            if (result != 0) {
                throw new LinuxException("statx", target, Native.errno(capture));
            }
            // struct statx: mode u16 @28, uid @20, nlink @16, ino @32, size @40, dev_major @136, dev_minor @140
            return new Stat(buffer.get(Native.LONG, 40), Short.toUnsignedInt(buffer.get(java.lang.foreign.ValueLayout.JAVA_SHORT, 28)),
                    buffer.get(Native.INT, 20), buffer.get(Native.LONG, 32), buffer.get(Native.INT, 136),
                    buffer.get(Native.INT, 140), buffer.get(Native.INT, 16));
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** {@code link(existing, created)}: fails with EEXIST rather than replace anything. */
    public static void link(String existing, String created) {
        twoPaths("link", existing, created, -1);
    }

    /**
     * Gives the file open at {@code fd} (typically an {@link #O_TMPFILE} one) the name {@code path},
     * atomically; fails with EEXIST rather than replace anything.
     */
    public static void linkFd(int fd, String path) {
        String source = "/proc/self/fd/" + fd;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = Native.capture(arena);
            int result = (int) LINKAT.invokeExact(capture, AT_FDCWD, arena.allocateFrom(source), AT_FDCWD,
                    arena.allocateFrom(path), 0x400 /* AT_SYMLINK_FOLLOW */);
            if (result != 0) {
                throw new LinuxException("linkat", source + " -> " + path, Native.errno(capture));
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** {@code renameat2(from, to, flags)}; with {@link #RENAME_NOREPLACE} it never replaces {@code to}. */
    public static void rename(String from, String to, int flags) {
        twoPaths("renameat2", from, to, flags);
    }

    private static void twoPaths(String call, String from, String to, int renameFlags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = Native.capture(arena);
            MemorySegment a = arena.allocateFrom(from);
            MemorySegment b = arena.allocateFrom(to);
            int result = renameFlags < 0
                    ? (int) LINK.invokeExact(capture, a, b)
                    : (int) RENAMEAT2.invokeExact(capture, AT_FDCWD, a, AT_FDCWD, b, renameFlags);
            if (result != 0) {
                throw new LinuxException(call, from + " -> " + to, Native.errno(capture));
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static void unlink(String path) {
        withPath("unlink", path, (capture, name) -> (int) UNLINK.invokeExact(capture, name));
    }

    /**
     * Maps {@code size} bytes of {@code fd} shared and read-write (or anonymous shared memory when
     * {@code fd} is -1). The mapping is unmapped when {@code arena} closes.
     */
    public static MemorySegment mmap(int fd, long size, Arena arena) {
        MemorySegment capture = Native.scratch().capture;
        int flags = fd < 0 ? MAP_SHARED | MAP_ANONYMOUS : MAP_SHARED;
        long address;
        try {
            address = (long) MMAP.invokeExact(capture, 0L, size, PROT_READ | PROT_WRITE, flags, fd, 0L);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
        if (address == -1L) {
            throw new LinuxException("mmap", (fd < 0 ? "anonymous" : "fd " + fd) + ", " + size + " bytes",
                    Native.errno(capture));
        }
        return MemorySegment.ofAddress(address).reinterpret(size, arena, Fs::munmap);
    }

    private static void munmap(MemorySegment mapping) {
        try {
            int ignored = (int) MUNMAP.invokeExact(Native.scratch().capture, mapping.address(), mapping.byteSize());
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Flushes a mapping to its file ({@code msync(MS_SYNC)}). */
    public static void msync(MemorySegment mapping) {
        withFd("msync", mapping.byteSize() + " bytes",
                capture -> (int) MSYNC.invokeExact(capture, mapping.address(), mapping.byteSize(), MS_SYNC));
    }

    /** A call returning an int that is negative on failure, with errno captured in the given segment. */
    @FunctionalInterface
    private interface IntCall {
        int call(MemorySegment capture) throws Throwable;
    }

    /** A call taking one NUL-terminated string. */
    @FunctionalInterface
    private interface PathCall {
        int call(MemorySegment capture, MemorySegment path) throws Throwable;
    }

    private static int withFd(String call, String target, IntCall body) {
        MemorySegment capture = Native.scratch().capture;
        int result;
        try {
            result = body.call(capture);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
        if (result < 0) {
            throw new LinuxException(call, target, Native.errno(capture));
        }
        return result;
    }

    private static int withPath(String call, String path, PathCall body) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = Native.capture(arena);
            int result = body.call(capture, arena.allocateFrom(path));
            if (result < 0) {
                throw new LinuxException(call, path, Native.errno(capture));
            }
            return result;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }
}
