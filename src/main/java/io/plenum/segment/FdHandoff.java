package io.plenum.segment;

import io.plenum.linux.Fs;
import io.plenum.linux.LinuxException;
import io.plenum.linux.UnixSockets;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Hands an open fd (a memfd segment's, an eventfd's) to any process of the same user over a Unix
 * domain socket ({@code SCM_RIGHTS}). Unlike {@link Backing#fromProcess(long, int)}, which needs
 * ptrace permission over the other process (often granted only to a parent over its children),
 * this works between any two processes that can reach the socket's path.
 *
 * <pre>{@code
 * // the process that has the memfd segment
 * try (FdHandoff.Offer offer = FdHandoff.offer(Path.of("/run/user/1000/jobs.sock"), array.fd())) { … }
 * // any other process of the same user
 * int fd = FdHandoff.receive(Path.of("/run/user/1000/jobs.sock"));
 * try (SharedLongArray array = SharedLongArray.open(ArrayOptions.of(Backing.fd(fd)))) { … } finally { Fs.close(fd) }
 * }</pre>
 *
 * <p>The socket file is created with mode 0600, and connections from a process of another user
 * (by the kernel's {@code SO_PEERCRED}) are closed without an fd, unless this process is root.
 */
public final class FdHandoff {
    private static final byte[] GREETING = "PLFD".getBytes(StandardCharsets.US_ASCII);

    private FdHandoff() {
    }

    /**
     * Starts serving a duplicate of {@code fd} at {@code socket} to every process that connects,
     * on one daemon thread, until the returned offer is closed. Nothing may exist at {@code socket}.
     *
     * @throws SegmentException the socket cannot be created (the path exists, is too long, …)
     */
    public static Offer offer(Path socket, int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException("fd must be >= 0: " + fd);
        }
        String path = socket.toString();
        int duplicate;
        try {
            duplicate = Fs.dup(fd);
        } catch (LinuxException e) {
            throw new SegmentException("cannot offer fd " + fd + " at " + path + ": " + e.getMessage(), e);
        }
        int listening;
        try {
            listening = UnixSockets.listen(path, 0600, 64);
        } catch (RuntimeException e) {
            Fs.close(duplicate);
            throw new SegmentException("cannot offer fd " + fd + " at " + path + ": " + e.getMessage(), e);
        }
        Fs.Stat socketFile;
        try {
            socketFile = Fs.lstat(path);
        } catch (RuntimeException e) {
            Fs.close(listening);
            Fs.close(duplicate);
            throw new SegmentException("cannot offer fd " + fd + " at " + path + ": " + e.getMessage(), e);
        }
        Offer offer = new Offer(path, listening, duplicate, socketFile);
        Thread.ofPlatform().daemon().name("plenum-fd-offer " + path).start(offer::serve);
        return offer;
    }

    /**
     * Connects to an {@link #offer} at {@code socket} and returns the fd it passes (close-on-exec,
     * owned by the caller: close it when the structure opened on it no longer needs it).
     *
     * @throws SegmentNotFoundException nothing listens at {@code socket}
     * @throws SegmentException         the other side sent no fd or is not a Plenum offer
     */
    public static int receive(Path socket) {
        String path = socket.toString();
        int connection;
        try {
            connection = UnixSockets.connect(path);
        } catch (LinuxException e) {
            SegmentNotFoundException missing = new SegmentNotFoundException("no fd offered at " + path + ": " + e.getMessage());
            missing.initCause(e);
            throw missing;
        } catch (IllegalArgumentException e) {
            throw new SegmentException(e.getMessage(), e);
        }
        try {
            UnixSockets.Received received = UnixSockets.receiveFd(connection, GREETING.length);
            if (!Arrays.equals(received.payload(), GREETING)) {
                if (received.fd() >= 0) {
                    Fs.close(received.fd());
                }
                throw new SegmentException(path + " is not a Plenum fd offer (it sent "
                        + received.payload().length + " other bytes)");
            }
            if (received.fd() < 0) {
                throw new SegmentException(path + " sent no fd (an offer refuses processes of another user)");
            }
            return received.fd();
        } catch (LinuxException e) {
            throw new SegmentException("cannot receive an fd from " + path + ": " + e.getMessage(), e);
        } finally {
            Fs.close(connection);
        }
    }

    /** A running offer; closing it stops serving and removes the socket file. Idempotent. */
    public static final class Offer implements AutoCloseable {
        private final String path;
        private final int listening;
        private final int fd;
        private final Fs.Stat socketFile;
        private final AtomicBoolean closed = new AtomicBoolean();
        private volatile Thread server;
        private volatile int served;

        private Offer(String path, int listening, int fd, Fs.Stat socketFile) {
            this.path = path;
            this.listening = listening;
            this.fd = fd;
            this.socketFile = socketFile;
        }

        /** The socket's path. */
        public Path socket() {
            return Path.of(path);
        }

        /** How many processes were given the fd so far. */
        public int served() {
            return served;
        }

        private void serve() {
            server = Thread.currentThread();
            int ownUid = UnixSockets.effectiveUid();
            while (!closed.get()) {
                int connection;
                try {
                    connection = UnixSockets.accept(listening);
                } catch (LinuxException e) {
                    return; // closed: shutdown() makes a blocked accept fail
                }
                try {
                    int peerUid = UnixSockets.peer(connection).uid();
                    if (closed.get()) {
                        return;
                    }
                    if (ownUid == 0 || peerUid == ownUid) {
                        // Counted before the send: a receiver that has its fd always sees itself counted.
                        served++;
                        try {
                            UnixSockets.sendFd(connection, fd, GREETING);
                        } catch (LinuxException e) {
                            served--;
                            throw e;
                        }
                    }
                } catch (LinuxException e) {
                    // The peer went away mid-handoff: nothing to undo, the next one is served.
                } finally {
                    Fs.close(connection);
                }
            }
        }

        @Override
        public void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            UnixSockets.shutdown(listening);
            Thread thread = server;
            if (thread != null) {
                try {
                    thread.join(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            try {
                // Remove the name only while it is still our socket, never one created there since.
                Fs.Stat now = Fs.lstat(path);
                if (now.sameFile(socketFile)) {
                    Fs.unlink(path);
                }
            } catch (LinuxException ignored) {
                // Already gone.
            }
            Fs.close(listening);
            Fs.close(fd);
        }

        @Override
        public String toString() {
            return "FdHandoff.Offer[" + path + (closed.get() ? ", closed" : "") + "]";
        }
    }
}
