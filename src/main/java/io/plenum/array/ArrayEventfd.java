package io.plenum.array;

import io.plenum.sync.EventNotifier;

/**
 * The eventfd attached to one array (at most one): replaced by a newer one, closed with the array.
 * The notifier itself is {@link EventNotifier}; this only owns it.
 */
final class ArrayEventfd {
    private final SharedArray array;
    private EventNotifier notifier;
    private boolean closed;

    ArrayEventfd(SharedArray array) {
        this.array = array;
    }

    synchronized EventNotifier current() {
        return notifier;
    }

    /** Attaches {@code next}, closing the previous one; closes {@code next} if the array is closed. */
    synchronized EventNotifier replace(EventNotifier next) {
        if (closed) {
            next.close();
            throw new IllegalStateException(array.describe() + " is closed");
        }
        EventNotifier previous = notifier;
        notifier = next;
        if (previous != null) {
            previous.close();
        }
        return next;
    }

    synchronized EventNotifier require() {
        if (notifier == null) {
            throw new IllegalStateException(array.describe() + ": no eventfd attached (createEventfd or attachEventfd first)");
        }
        return notifier;
    }

    synchronized void close() {
        closed = true;
        if (notifier != null) {
            notifier.close();
            notifier = null;
        }
    }
}
