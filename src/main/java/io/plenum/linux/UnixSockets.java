package io.plenum.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;

/**
 * Unix domain stream sockets and {@code SCM_RIGHTS}: the calls that pass an open fd to another
 * process of the same user, which needs no ptrace permission (unlike {@code pidfd_getfd}).
 *
 * <h2>Structures (LP64: x86_64 and aarch64 alike)</h2>
 * <pre>
 * sockaddr_un   0 u16 sun_family (AF_UNIX = 1) | 2 char sun_path[108], NUL-terminated
 *
 * msghdr        0 void*  msg_name         (null)
 *               8 u32    msg_namelen      (0) + 4 bytes padding
 *              16 iovec* msg_iov          -> iovec { 0 void* base; 8 size_t len }
 *              24 size_t msg_iovlen       (1)
 *              32 void*  msg_control      -> cmsghdr
 *              40 size_t msg_controllen   (CMSG_SPACE(4) = 24)
 *              48 int    msg_flags        + 4 bytes padding
 *
 * cmsghdr       0 size_t cmsg_len   (CMSG_LEN(4) = 20)
 *               8 int    cmsg_level (SOL_SOCKET = 1)
 *              12 int    cmsg_type  (SCM_RIGHTS = 1)
 *              16 int    the fd
 *
 * ucred         0 pid_t pid | 4 uid_t uid | 8 gid_t gid   (getsockopt SO_PEERCRED)
 * </pre>
 */
public final class UnixSockets {
    /** The longest socket path, in bytes ({@code sun_path} is 108 bytes with its NUL). */
    public static final int MAX_PATH_BYTES = 107;

    private static final int AF_UNIX = 1;
    private static final int SOCK_STREAM = 1;
    private static final int SOCK_CLOEXEC = 02000000;
    private static final int SOL_SOCKET = 1;
    private static final int SCM_RIGHTS = 1;
    private static final int SO_PEERCRED = 17;
    private static final int MSG_CTRUNC = 0x8;
    private static final int MSG_NOSIGNAL = 0x4000;
    private static final int MSG_CMSG_CLOEXEC = 0x40000000;
    private static final long SOCKADDR_SIZE = 110;
    private static final long MSGHDR_SIZE = 56;
    private static final long CMSG_SPACE_ONE_FD = 24;
    private static final long CMSG_LEN_ONE_FD = 20;

    private static final MethodHandle SOCKET = Native.function("socket",
            FunctionDescriptor.of(Native.INT, Native.INT, Native.INT, Native.INT));
    private static final MethodHandle BIND = Native.function("bind",
            FunctionDescriptor.of(Native.INT, Native.INT, Native.POINTER, Native.INT));
    private static final MethodHandle LISTEN = Native.function("listen",
            FunctionDescriptor.of(Native.INT, Native.INT, Native.INT));
    private static final MethodHandle ACCEPT4 = Native.function("accept4",
            FunctionDescriptor.of(Native.INT, Native.INT, Native.POINTER, Native.POINTER, Native.INT));
    private static final MethodHandle CONNECT = Native.function("connect",
            FunctionDescriptor.of(Native.INT, Native.INT, Native.POINTER, Native.INT));
    private static final MethodHandle SENDMSG = Native.function("sendmsg",
            FunctionDescriptor.of(Native.LONG, Native.INT, Native.POINTER, Native.INT));
    private static final MethodHandle RECVMSG = Native.function("recvmsg",
            FunctionDescriptor.of(Native.LONG, Native.INT, Native.POINTER, Native.INT));
    private static final MethodHandle GETSOCKOPT = Native.function("getsockopt",
            FunctionDescriptor.of(Native.INT, Native.INT, Native.INT, Native.INT, Native.POINTER, Native.POINTER));
    private static final MethodHandle SHUTDOWN = Native.function("shutdown",
            FunctionDescriptor.of(Native.INT, Native.INT, Native.INT));
    private static final MethodHandle CHMOD = Native.function("chmod",
            FunctionDescriptor.of(Native.INT, Native.POINTER, Native.INT));
    private static final MethodHandle GETEUID = Native.function("geteuid", FunctionDescriptor.of(Native.INT));

    private UnixSockets() {
    }

    /** This process's effective user id. */
    public static int effectiveUid() {
        try {
            return (int) GETEUID.invokeExact(Native.scratch().capture);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** The identity of the process at the other end of a connected socket. */
    public record PeerCredentials(int pid, int uid, int gid) {
    }

    /**
     * A listening socket bound at {@code path} with permission bits {@code mode} (set after bind, so
     * the umask cannot widen them). Fails with EADDRINUSE when something exists at {@code path}.
     */
    public static int listen(String path, int mode, int backlog) {
        int fd = socket(path);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = Native.capture(arena);
            MemorySegment address = address(arena, path);
            if ((int) BIND.invokeExact(capture, fd, address, (int) SOCKADDR_SIZE) != 0) {
                throw new LinuxException("bind", path, Native.errno(capture));
            }
            if ((int) CHMOD.invokeExact(capture, arena.allocateFrom(path), mode) != 0) {
                throw new LinuxException("chmod", path + ", 0" + Integer.toOctalString(mode), Native.errno(capture));
            }
            if ((int) LISTEN.invokeExact(capture, fd, backlog) != 0) {
                throw new LinuxException("listen", path, Native.errno(capture));
            }
            return fd;
        } catch (Throwable t) {
            Fs.close(fd);
            throw Native.rethrow(t);
        }
    }

    /** Accepts one connection (blocking); returns its close-on-exec fd. */
    public static int accept(int listenFd) {
        MemorySegment capture = Native.scratch().capture;
        while (true) {
            int fd;
            try {
                fd = (int) ACCEPT4.invokeExact(capture, listenFd, MemorySegment.NULL, MemorySegment.NULL, SOCK_CLOEXEC);
            } catch (Throwable t) {
                throw Native.rethrow(t);
            }
            if (fd >= 0) {
                return fd;
            }
            int errno = Native.errno(capture);
            if (errno != Errno.EINTR) {
                throw new LinuxException("accept4", "socket fd " + listenFd, errno);
            }
        }
    }

    /** A socket connected to the listener at {@code path}. */
    public static int connect(String path) {
        int fd = socket(path);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = Native.capture(arena);
            if ((int) CONNECT.invokeExact(capture, fd, address(arena, path), (int) SOCKADDR_SIZE) != 0) {
                throw new LinuxException("connect", path, Native.errno(capture));
            }
            return fd;
        } catch (Throwable t) {
            Fs.close(fd);
            throw Native.rethrow(t);
        }
    }

    /** Ends both directions of a connection: a peer blocked in accept or receive is released. */
    public static void shutdown(int fd) {
        try {
            int ignored = (int) SHUTDOWN.invokeExact(Native.scratch().capture, fd, 2 /* SHUT_RDWR */);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** The process at the other end of a connected socket, as the kernel recorded it at connect. */
    public static PeerCredentials peer(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = Native.capture(arena);
            MemorySegment credentials = arena.allocate(12, 4);
            MemorySegment length = arena.allocateFrom(ValueLayout.JAVA_INT, 12);
            if ((int) GETSOCKOPT.invokeExact(capture, fd, SOL_SOCKET, SO_PEERCRED, credentials, length) != 0) {
                throw new LinuxException("getsockopt", "SO_PEERCRED of fd " + fd, Native.errno(capture));
            }
            return new PeerCredentials(credentials.get(Native.INT, 0), credentials.get(Native.INT, 4),
                    credentials.get(Native.INT, 8));
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Sends {@code payload} and, as {@code SCM_RIGHTS}, a duplicate of {@code passedFd}. */
    public static void sendFd(int socketFd, int passedFd, byte[] payload) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = Native.capture(arena);
            MemorySegment data = arena.allocateFrom(ValueLayout.JAVA_BYTE, payload);
            MemorySegment control = arena.allocate(CMSG_SPACE_ONE_FD, 8);
            control.set(Native.LONG, 0, CMSG_LEN_ONE_FD);
            control.set(Native.INT, 8, SOL_SOCKET);
            control.set(Native.INT, 12, SCM_RIGHTS);
            control.set(Native.INT, 16, passedFd);
            MemorySegment message = message(arena, data, control);
            long sent = (long) SENDMSG.invokeExact(capture, socketFd, message, MSG_NOSIGNAL);
            if (sent != payload.length) {
                throw new LinuxException("sendmsg", "fd " + passedFd + " over socket fd " + socketFd,
                        sent < 0 ? Native.errno(capture) : Errno.EIO);
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** What {@link #receiveFd} got: the payload's bytes and the passed fd (-1 when none came). */
    public record Received(byte[] payload, int fd) {
    }

    /**
     * Receives up to {@code maxPayload} bytes and at most one passed fd (close-on-exec). Any fd
     * beyond the first, or one that arrived with a truncated control message, is closed, never leaked.
     */
    public static Received receiveFd(int socketFd, int maxPayload) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = Native.capture(arena);
            MemorySegment data = arena.allocate(Math.max(maxPayload, 1));
            MemorySegment control = arena.allocate(CMSG_SPACE_ONE_FD, 8);
            MemorySegment message = message(arena, data, control);
            long received;
            do {
                received = (long) RECVMSG.invokeExact(capture, socketFd, message, MSG_CMSG_CLOEXEC);
            } while (received < 0 && Native.errno(capture) == Errno.EINTR);
            if (received < 0) {
                throw new LinuxException("recvmsg", "socket fd " + socketFd, Native.errno(capture));
            }
            int fd = -1;
            long controlLength = message.get(Native.LONG, 40);
            if (controlLength >= CMSG_LEN_ONE_FD && control.get(Native.INT, 8) == SOL_SOCKET
                    && control.get(Native.INT, 12) == SCM_RIGHTS) {
                fd = control.get(Native.INT, 16);
            }
            if ((message.get(Native.INT, 48) & MSG_CTRUNC) != 0) {
                if (fd >= 0) {
                    Fs.close(fd);
                }
                throw new LinuxException("recvmsg", "socket fd " + socketFd + ": more fds than one were passed",
                        Errno.EIO);
            }
            return new Received(data.asSlice(0, received).toArray(ValueLayout.JAVA_BYTE), fd);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static MemorySegment message(Arena arena, MemorySegment data, MemorySegment control) {
        MemorySegment iov = arena.allocate(16, 8);
        iov.set(ValueLayout.ADDRESS, 0, data);
        iov.set(Native.LONG, 8, data.byteSize());
        MemorySegment message = arena.allocate(MSGHDR_SIZE, 8);
        message.set(ValueLayout.ADDRESS, 16, iov);
        message.set(Native.LONG, 24, 1L);
        message.set(ValueLayout.ADDRESS, 32, control);
        message.set(Native.LONG, 40, control.byteSize());
        return message;
    }

    private static int socket(String path) {
        checkPath(path);
        MemorySegment capture = Native.scratch().capture;
        int fd;
        try {
            fd = (int) SOCKET.invokeExact(capture, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
        if (fd < 0) {
            throw new LinuxException("socket", "AF_UNIX for " + path, Native.errno(capture));
        }
        return fd;
    }

    private static void checkPath(String path) {
        byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0 || bytes.length > MAX_PATH_BYTES || path.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a Unix socket path must be 1.." + MAX_PATH_BYTES
                    + " bytes without NUL: \"" + path + "\" is " + bytes.length + " bytes");
        }
    }

    private static MemorySegment address(Arena arena, String path) {
        MemorySegment address = arena.allocate(SOCKADDR_SIZE, 2);
        address.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
        byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
        MemorySegment.copy(bytes, 0, address, ValueLayout.JAVA_BYTE, 2, bytes.length);
        return address;
    }
}
