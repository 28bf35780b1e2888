package io.plenum.pool;

import io.plenum.sync.EventNotifier;

/**
 * The eventfd of one pool handle (Data::Pool::Shared's {@code eventfd}, {@code eventfd_set},
 * {@code fileno}, {@code notify}, {@code eventfd_consume}), made on first use or given, closed with
 * the pool. All methods are thread-safe.
 */
final class PoolEventfd {
    private EventNotifier notifier;
    private boolean closed;

    synchronized EventNotifier get(String where) {
        checkOpen(where);
        if (notifier == null) {
            notifier = EventNotifier.create();
        }
        return notifier;
    }

    synchronized void use(EventNotifier replacement, String where) {
        checkOpen(where);
        if (replacement == null) {
            throw new IllegalArgumentException("notifier is required");
        }
        if (notifier != null && notifier != replacement) {
            notifier.close();
        }
        notifier = replacement;
    }

    synchronized int fd(String where) {
        checkOpen(where);
        return notifier == null ? -1 : notifier.fd();
    }

    boolean signal(String where) {
        EventNotifier current = current(where);
        return current != null && current.signal();
    }

    long consume(String where) {
        EventNotifier current = current(where);
        return current == null ? 0 : current.consume();
    }

    private synchronized EventNotifier current(String where) {
        checkOpen(where);
        return notifier;
    }

    synchronized void close() {
        closed = true;
        if (notifier != null) {
            notifier.close();
        }
    }

    private void checkOpen(String where) {
        if (closed) {
            throw new IllegalStateException(where + ": the pool is closed");
        }
    }
}
