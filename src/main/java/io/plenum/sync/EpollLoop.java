package io.plenum.sync;

import io.plenum.linux.Epoll;
import io.plenum.linux.Errno;
import io.plenum.linux.LinuxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The reactor thread for file descriptors (eventfds): one {@code epoll} set.
 *
 * <h2>Keys are sources, not fd numbers</h2>
 * A wait belongs to a {@link Source}: one open fd as its owner (an {@link EventNotifier}) holds it.
 * The epoll entry of a source carries the source's token, unique for the JVM's lifetime, never the
 * fd number: after a notifier is closed and the kernel hands its number to a new fd, an event or a
 * map entry left from the old one can never be taken for the new one. The fd is in the set while
 * its source has waiters; when it becomes readable, every waiter is told and the fd leaves the set.
 * Entries are one-shot, so a stale entry (one whose fd was closed behind the loop's back while a
 * duplicate kept the file open) reports at most once, and its unknown token is ignored.
 *
 * <h2>Closing</h2>
 * {@link #close(Source, RuntimeException)} takes the fd out of the set <em>before</em> the owner
 * closes it (after close, {@code epoll_ctl} could no longer name it) and fails its waiters.
 *
 * <h2>Locking</h2>
 * Every source and every loop's map are guarded by one lock, {@link #LOCK}: there is one live loop
 * per JVM, and a replacement loop (after a death, see {@link Reactor}) must see the state the dead
 * one left. Listeners are called outside it. {@code epoll_ctl} is safe next to a running
 * {@code epoll_wait}.
 */
final class EpollLoop implements Runnable {
    private static final int EVENTS = 64;
    static final Object LOCK = new Object();
    private static final AtomicLong TOKENS = new AtomicLong();

    private final Epoll epoll = new Epoll(EVENTS);
    /** The sources whose fd is in this set, by token; guarded by {@link #LOCK}. */
    private final Map<Long, Source> watched = new HashMap<>();
    /** Sources of raw fds ({@link Reactor#watchReadable(int, WaitListener)}), by fd; guarded by LOCK. */
    private final Map<Integer, Source> raw = new HashMap<>();
    private final Runnable onDeath;
    /** Set under LOCK when the thread died: the loop takes no more waits. */
    private boolean dead;

    EpollLoop(Runnable onDeath) {
        this.onDeath = onDeath;
    }

    /**
     * One open fd and its waiters. {@code closed} is set once, when the owner closes it; after that
     * the source takes no waits.
     */
    static class Source {
        final int fd;
        final String name;
        final long token = TOKENS.incrementAndGet();
        final List<FdWaiter> waiters = new ArrayList<>(2);
        /** The loop whose set holds the fd, or null. */
        EpollLoop loop;
        RuntimeException closed;

        Source(int fd, String name) {
            this.fd = fd;
            this.name = name;
        }
    }

    /** Registers a wait on {@code source}; null when this loop died (the reactor then uses a new one). */
    FdWaiter register(Source source, WaitListener listener) {
        FdWaiter waiter = new FdWaiter(source, listener);
        synchronized (LOCK) {
            if (dead) {
                return null;
            }
            if (source.closed != null) {
                throw new IllegalStateException(source.name + " is closed", source.closed);
            }
            if (source.loop == null) {
                epoll.add(source.fd, Epoll.EPOLLIN | Epoll.EPOLLONESHOT, source.token);
                source.loop = this;
                watched.put(source.token, source);
            }
            source.waiters.add(waiter);
        }
        return waiter;
    }

    /**
     * Registers a wait on a raw fd that nobody here owns. Waits on one fd share a source; when the
     * kernel takes a new entry for a number that still has one, the old fd was closed behind our
     * back: its waiters fail and a new source starts (the add is the one syscall a first waiter
     * makes anyway). Null when this loop died.
     */
    FdWaiter registerRaw(int fd, WaitListener listener) {
        List<FdWaiter> stale = null;
        FdWaiter waiter;
        synchronized (LOCK) {
            if (dead) {
                return null;
            }
            Source source = raw.get(fd);
            Source fresh = new Source(fd, "fd " + fd);
            try {
                epoll.add(fd, Epoll.EPOLLIN | Epoll.EPOLLONESHOT, fresh.token);
                if (source != null) {
                    // Its entry is gone with its file (or cannot be named any more): forget it
                    // without epoll_ctl, which would now remove the entry just added.
                    stale = new ArrayList<>(source.waiters);
                    source.waiters.clear();
                    detach(source);
                }
                source = fresh;
                source.loop = this;
                watched.put(source.token, source);
                raw.put(fd, source);
            } catch (LinuxException e) {
                if (e.errno() != Errno.EEXIST || source == null) {
                    throw e;
                }
            }
            waiter = new FdWaiter(source, listener);
            source.waiters.add(waiter);
        }
        if (stale != null) {
            IllegalStateException failure = new IllegalStateException("fd " + fd + " was closed while it was watched");
            for (FdWaiter old : stale) {
                old.finish(false, failure);
            }
        }
        return waiter;
    }

    /** Takes the fd of {@code source} out of the set and returns its waiters; caller holds LOCK. */
    private List<FdWaiter> takeAll(Source source) {
        List<FdWaiter> list = new ArrayList<>(source.waiters);
        source.waiters.clear();
        unwatch(source);
        return list;
    }

    /** Forgets that the fd of {@code source} is in the set; caller holds LOCK. */
    private void detach(Source source) {
        source.loop = null;
        watched.remove(source.token);
        if (raw.get(source.fd) == source) {
            raw.remove(source.fd);
        }
    }

    /** Takes the fd out of the set; caller holds LOCK. */
    private void unwatch(Source source) {
        if (source.loop != this) {
            return;
        }
        detach(source);
        try {
            epoll.remove(source.fd);
        } catch (LinuxException e) {
            // The fd was closed already (a raw fd), which took it out of the set.
        }
    }

    private static void withdraw(FdWaiter waiter) {
        Source source = waiter.source;
        synchronized (LOCK) {
            if (source.waiters.remove(waiter) && source.waiters.isEmpty() && source.loop != null) {
                source.loop.unwatch(source);
            }
        }
    }

    /**
     * Closes {@code source}: takes its fd out of the set (call this before closing the fd) and fails
     * its waiters with {@code failure}. Later waits on it throw. Idempotent.
     */
    static void close(Source source, RuntimeException failure) {
        List<FdWaiter> failed;
        synchronized (LOCK) {
            if (source.closed != null) {
                return;
            }
            source.closed = failure;
            failed = new ArrayList<>(source.waiters);
            source.waiters.clear();
            if (source.loop != null) {
                source.loop.unwatch(source);
            }
        }
        for (FdWaiter waiter : failed) {
            waiter.finish(false, failure);
        }
    }

    /** Waits registered now and not yet completed or withdrawn. */
    int load() {
        synchronized (LOCK) {
            int total = 0;
            for (Source source : watched.values()) {
                total += source.waiters.size();
            }
            return total;
        }
    }

    @Override
    public void run() {
        try {
            while (true) {
                // epoll_wait fails only on a bug (EBADF, EFAULT, EINVAL; EINTR is 0): that is a death.
                int ready = epoll.await(-1);
                for (int i = 0; i < ready; i++) {
                    dispatch(epoll.data(i), epoll.events(i));
                }
            }
        } catch (Throwable death) {
            die(death);
        }
    }

    private void dispatch(long token, int events) {
        boolean error = (events & (Epoll.EPOLLERR | Epoll.EPOLLHUP)) != 0 && (events & Epoll.EPOLLIN) == 0;
        List<FdWaiter> list;
        Source source;
        synchronized (LOCK) {
            source = watched.get(token);
            if (source == null) {
                return; // A stale one-shot event: its source was withdrawn or closed meanwhile.
            }
            list = takeAll(source);
        }
        RuntimeException failure = error ? new IllegalStateException(source.name + " reported an error") : null;
        for (FdWaiter waiter : list) {
            waiter.finish(!error, failure);
        }
    }

    /**
     * The thread is ending on an unexpected throwable: the reactor forgets this loop first (new
     * waits go to a replacement), then every wait it holds fails with the cause, and the throwable
     * goes to the thread's uncaught-exception handler so that it is not silent.
     */
    private void die(Throwable death) {
        onDeath.run();
        List<FdWaiter> failed = new ArrayList<>();
        synchronized (LOCK) {
            dead = true;
            for (Source source : new ArrayList<>(watched.values())) {
                failed.addAll(takeAll(source));
            }
        }
        IllegalStateException failure = new IllegalStateException(
                "the reactor's epoll thread failed; its waits are failed, new ones go to a new thread", death);
        for (FdWaiter waiter : failed) {
            try {
                waiter.finish(false, failure);
            } catch (Throwable e) {
                // A listener's handler threw too: the other waiters must still be told.
                death.addSuppressed(e);
            }
        }
        try {
            epoll.close();
        } catch (RuntimeException e) {
            death.addSuppressed(e);
        }
        Thread thread = Thread.currentThread();
        thread.getUncaughtExceptionHandler().uncaughtException(thread, death);
    }

    static final class FdWaiter extends Waiter {
        final Source source;

        FdWaiter(Source source, WaitListener listener) {
            super(listener);
            this.source = source;
        }

        @Override
        void withdrawn() {
            withdraw(this);
        }
    }
}
