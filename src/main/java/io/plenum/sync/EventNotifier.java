package io.plenum.sync;

import io.plenum.linux.EventFd;
import io.plenum.linux.Fs;
import io.plenum.linux.Processes;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An eventfd: a kernel counter that one side {@link #signal signals} and the other
 * {@link #consume consumes}, and that event loops can watch. Create one, attach an fd this process
 * already has, or open a live process's eventfd by (pid, fd). Asynchronous waits go through the
 * per-JVM {@link Reactor} (its epoll thread), so no thread is blocked per waiter.
 *
 * <p>The fd is non-blocking: {@link #consume()} returns 0 when the counter is 0. It is owned by
 * this object (attach and open work on a duplicate) and closed by {@link #close()}; using a closed
 * notifier throws {@link IllegalStateException}. Only eventfds are taken: an fd that is anything
 * else is refused with {@link IllegalArgumentException} before anything is written to it.
 *
 * <p>Asynchronous waits belong to this notifier, not to its fd number (which the kernel gives to
 * the next fd once this one is closed): see {@link #close()}.
 */
public final class EventNotifier implements AutoCloseable {
    private final int fd;
    private final String where;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** What the reactor's waits on this notifier belong to. */
    private final EpollLoop.Source source;

    private EventNotifier(int fd, String where) {
        this.fd = fd;
        this.where = where;
        this.source = new EpollLoop.Source(fd, where);
    }

    /** A new eventfd with counter 0. */
    public static EventNotifier create() {
        return create(false);
    }

    /** A new eventfd; a semaphore one hands out 1 per {@link #consume()} instead of the whole count. */
    public static EventNotifier create(boolean semaphore) {
        int fd = EventFd.create(0, semaphore ? EventFd.EFD_SEMAPHORE : 0);
        return new EventNotifier(fd, "eventfd " + fd);
    }

    /** Works on a duplicate of {@code fd}, an eventfd of this process (which is made non-blocking). */
    public static EventNotifier attach(int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException("fd must be >= 0: " + fd);
        }
        EventFd.requireEventFd(fd, "fd " + fd + " of this process");
        int own = Fs.dup(fd);
        try {
            Fs.setNonBlocking(own);
        } catch (RuntimeException e) {
            Fs.close(own);
            throw e;
        }
        return new EventNotifier(own, "eventfd " + own + " (attached from fd " + fd + ")");
    }

    /**
     * Opens fd {@code fd} of live process {@code pid} (through {@code pidfd_getfd}: same user or
     * CAP_SYS_PTRACE). The two processes then share one counter.
     */
    public static EventNotifier fromProcess(long pid, int fd) {
        if (pid <= 0 || pid > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("pid must be a positive int: " + pid);
        }
        if (fd < 0) {
            throw new IllegalArgumentException("fd must be >= 0: " + fd);
        }
        int own = Processes.takeFd((int) pid, fd);
        try {
            // Checked on our duplicate: the same open file as the other process's fd.
            EventFd.requireEventFd(own, "fd " + fd + " of pid " + pid);
            Fs.setNonBlocking(own);
        } catch (RuntimeException e) {
            Fs.close(own);
            throw e;
        }
        return new EventNotifier(own, "eventfd " + fd + " of pid " + pid);
    }

    /** The fd, for another process to open with {@link #fromProcess} or for an event loop. */
    public int fd() {
        checkOpen();
        return fd;
    }

    /**
     * Adds {@code count} (1 or more) to the counter, waking its waiters in every process.
     *
     * @return false when the counter would overflow (it is left unchanged)
     */
    public boolean signal(long count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1: " + count);
        }
        checkOpen();
        return EventFd.write(fd, count);
    }

    /** Adds 1 to the counter. */
    public boolean signal() {
        return signal(1);
    }

    /** Takes the counter (resetting it to 0; a semaphore eventfd: takes 1). Returns 0 when it was 0. */
    public long consume() {
        checkOpen();
        return EventFd.read(fd);
    }

    /** A future that completes when the counter is non-zero (it does not consume). */
    public CompletableFuture<Void> onSignal() {
        checkOpen();
        return Reactor.shared().onReadable(source);
    }

    /** Registers a wait for the counter to be non-zero; see {@link Reactor#watchReadable}. */
    public Registration watch(WaitListener listener) {
        checkOpen();
        return Reactor.shared().watchReadable(source, listener);
    }

    /**
     * Blocks until the counter is non-zero, consumes it and returns it; returns 0 when
     * {@code timeout} passes first.
     */
    public long await(Duration timeout) throws InterruptedException {
        long deadline = Deadlines.after(timeout);
        while (true) {
            long value = consume();
            if (value != 0) {
                return value;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return 0;
            }
            CompletableFuture<Void> ready = onSignal();
            try {
                ready.get(Math.min(left, Waiting.SLICE_NANOS), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                ready.cancel(false);
            } catch (InterruptedException e) {
                ready.cancel(false);
                throw e;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof IllegalStateException failure && closed.get()) {
                    throw failure;
                }
                throw new IllegalStateException(where + ": wait failed", e.getCause());
            }
        }
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException(where + " is closed");
        }
    }

    /** True once {@link #close()} was called. */
    public boolean isClosed() {
        return closed.get();
    }

    /**
     * Closes the notifier. Its pending waits end first, promptly: futures from {@link #onSignal()}
     * complete exceptionally, {@link #watch} listeners are told {@code (false, failure)},
     * suspended {@code awaitSignal()} calls throw, and a blocked {@link #await} throws; the failure
     * is an {@link IllegalStateException} naming this eventfd ("… was closed"). A {@code signals()}
     * flow completes normally. The fd leaves the reactor's epoll set before it is closed, so a new
     * fd that gets the same number is a stranger to these waits. Idempotent.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                EpollLoop.close(source, new IllegalStateException(where + " was closed"));
            } finally {
                Fs.close(fd);
            }
        }
    }

    @Override
    public String toString() {
        return "EventNotifier[" + where + (closed.get() ? ", closed" : "") + "]";
    }
}
