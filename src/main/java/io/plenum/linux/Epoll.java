package io.plenum.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * {@code epoll(7)} for watching eventfds. An instance owns an epoll fd and an event buffer; it is
 * used by one thread at a time.
 *
 * <pre>
 * struct epoll_event: x86_64 packs it (12 bytes), aarch64 aligns it (16 bytes)
 *   x86_64:  0 events u32 | 4 data u64        aarch64: 0 events u32 | 4 pad | 8 data u64
 * </pre>
 */
public final class Epoll implements AutoCloseable {
    public static final int EPOLLIN = 0x001;
    public static final int EPOLLERR = 0x008;
    public static final int EPOLLHUP = 0x010;
    public static final int EPOLLONESHOT = 1 << 30;
    public static final int EPOLLET = 1 << 31;

    private static final int EPOLL_CTL_ADD = 1;
    private static final int EPOLL_CTL_DEL = 2;
    private static final int EPOLL_CLOEXEC = 02000000;
    private static final long EVENT_SIZE = Native.X86_64 ? 12 : 16;
    private static final long DATA_OFFSET = Native.X86_64 ? 4 : 8;
    private static final java.lang.foreign.ValueLayout.OfLong DATA = Native.LONG.withByteAlignment(4);

    private static final MethodHandle CREATE = Native.function("epoll_create1",
            FunctionDescriptor.of(Native.INT, Native.INT));
    private static final MethodHandle CTL = Native.function("epoll_ctl",
            FunctionDescriptor.of(Native.INT, Native.INT, Native.INT, Native.INT, Native.POINTER));
    private static final MethodHandle WAIT = Native.function("epoll_wait",
            FunctionDescriptor.of(Native.INT, Native.INT, Native.POINTER, Native.INT, Native.INT));

    private final int fd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment events;
    private final MemorySegment control;
    private final int capacity;

    public Epoll(int capacity) {
        this.capacity = capacity;
        MemorySegment capture = Native.scratch().capture;
        int created;
        try {
            created = (int) CREATE.invokeExact(capture, EPOLL_CLOEXEC);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
        if (created < 0) {
            throw new LinuxException("epoll_create1", "EPOLL_CLOEXEC", Native.errno(capture));
        }
        fd = created;
        events = arena.allocate(EVENT_SIZE * capacity, 8);
        control = arena.allocate(16, 8);
    }

    /** Watches {@code watched} for {@code eventMask}; {@code data} comes back with its events. */
    public synchronized void add(int watched, int eventMask, long data) {
        control.set(Native.INT, 0, eventMask);
        control.set(DATA, DATA_OFFSET, data);
        ctl(EPOLL_CTL_ADD, watched);
    }

    public synchronized void remove(int watched) {
        ctl(EPOLL_CTL_DEL, watched);
    }

    private void ctl(int operation, int watched) {
        MemorySegment capture = Native.scratch().capture;
        int result;
        try {
            result = (int) CTL.invokeExact(capture, fd, operation, watched, control);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
        if (result != 0) {
            throw new LinuxException("epoll_ctl", "epoll " + fd + ", fd " + watched, Native.errno(capture));
        }
    }

    /** Waits up to {@code timeoutMillis} (-1: forever); returns how many events are ready (0 on EINTR). */
    public int await(int timeoutMillis) {
        MemorySegment capture = Native.scratch().capture;
        int result;
        try {
            result = (int) WAIT.invokeExact(capture, fd, events, capacity, timeoutMillis);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
        if (result >= 0) {
            return result;
        }
        int errno = Native.errno(capture);
        if (errno == Errno.EINTR) {
            return 0;
        }
        throw new LinuxException("epoll_wait", "epoll " + fd, errno);
    }

    /** The events of ready entry {@code index} after {@link #await}. */
    public int events(int index) {
        return events.get(Native.INT, index * EVENT_SIZE);
    }

    /** The data of ready entry {@code index} after {@link #await}. */
    public long data(int index) {
        return events.get(DATA, index * EVENT_SIZE + DATA_OFFSET);
    }

    /** The epoll fd itself, e.g. to watch it from another epoll. */
    public int fd() {
        return fd;
    }

    @Override
    public void close() {
        Fs.close(fd);
        arena.close();
    }
}
