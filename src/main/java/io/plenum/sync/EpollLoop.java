package io.plenum.sync;

import io.plenum.linux.Epoll;
import io.plenum.linux.LinuxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The reactor thread for file descriptors (eventfds): one {@code epoll} set. An fd is in the set
 * while someone waits for it to become readable; when it does, every waiter of that fd is told and
 * the fd leaves the set (level-triggered, so a readable fd nobody drains does not spin the thread).
 * Registrations and withdrawals change the set directly ({@code epoll_ctl} is safe next to a
 * running {@code epoll_wait}).
 */
final class EpollLoop implements Runnable {
    private static final int EVENTS = 64;

    private final Epoll epoll = new Epoll(EVENTS);
    private final Map<Integer, List<FdWaiter>> waiters = new HashMap<>();

    Registration register(int fd, WaitListener listener) {
        if (fd < 0) {
            throw new IllegalArgumentException("fd must be >= 0: " + fd);
        }
        FdWaiter waiter = new FdWaiter(fd, listener, this);
        synchronized (waiters) {
            List<FdWaiter> list = waiters.get(fd);
            if (list == null) {
                epoll.add(fd, Epoll.EPOLLIN, fd);
                list = new ArrayList<>(2);
                waiters.put(fd, list);
            }
            list.add(waiter);
        }
        return waiter;
    }

    private void withdraw(FdWaiter waiter) {
        synchronized (waiters) {
            List<FdWaiter> list = waiters.get(waiter.fd);
            if (list != null && list.remove(waiter) && list.isEmpty()) {
                waiters.remove(waiter.fd);
                removeQuietly(waiter.fd);
            }
        }
    }

    private void removeQuietly(int fd) {
        try {
            epoll.remove(fd);
        } catch (LinuxException e) {
            // The fd was closed already, which took it out of the set.
        }
    }

    @Override
    public void run() {
        while (true) {
            int ready;
            try {
                ready = epoll.await(-1);
            } catch (RuntimeException e) {
                e.printStackTrace();
                continue;
            }
            for (int i = 0; i < ready; i++) {
                int fd = (int) epoll.data(i);
                boolean error = (epoll.events(i) & (Epoll.EPOLLERR | Epoll.EPOLLHUP)) != 0
                        && (epoll.events(i) & Epoll.EPOLLIN) == 0;
                List<FdWaiter> list;
                synchronized (waiters) {
                    list = waiters.remove(fd);
                    if (list != null) {
                        removeQuietly(fd);
                    }
                }
                if (list != null) {
                    RuntimeException failure = error ? new IllegalStateException("fd " + fd + " reported an error") : null;
                    for (FdWaiter waiter : list) {
                        waiter.finish(!error, failure);
                    }
                }
            }
        }
    }

    static final class FdWaiter extends Waiter {
        final int fd;
        final EpollLoop loop;

        FdWaiter(int fd, WaitListener listener, EpollLoop loop) {
            super(listener);
            this.fd = fd;
            this.loop = loop;
        }

        @Override
        void withdrawn() {
            loop.withdraw(this);
        }
    }
}
