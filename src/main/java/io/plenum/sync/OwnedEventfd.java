package io.plenum.sync;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * The eventfd one structure handle owns, the same for every structure that offers one: made on
 * first use ({@link #get()}) or given ({@link #use}), replaced by a newer one, closed with the
 * handle. Its users see it through the structure's {@code eventfd()}, {@code useEventfd(…)},
 * {@code signalEventfd()} and {@code consumeEventfd()}. Thread-safe. For structures built on Plenum.
 */
public final class OwnedEventfd {
    private final String closedMessage;
    private @Nullable EventNotifier notifier;
    private boolean closed;

    /** @param closedMessage the {@link IllegalStateException}'s message once the owner is closed */
    public OwnedEventfd(String closedMessage) {
        this.closedMessage = closedMessage;
    }

    /** The eventfd, created now if there is none yet. */
    public synchronized EventNotifier get() {
        checkOpen();
        if (notifier == null) {
            notifier = EventNotifier.create();
        }
        return notifier;
    }

    /**
     * Owns {@code replacement} from now on, closing the previous eventfd. {@code replacement} is
     * closed too, and nothing changes, when the owner is closed already.
     */
    public synchronized void use(EventNotifier replacement) {
        if (closed) {
            if (replacement != null) {
                replacement.close();
            }
            throw new IllegalStateException(closedMessage);
        }
        Objects.requireNonNull(replacement, "notifier");
        EventNotifier previous = notifier;
        notifier = replacement;
        if (previous != null && previous != replacement) {
            previous.close();
        }
    }

    /** Adds 1 to the counter; false when there is no eventfd yet (nobody can be waiting) or it would overflow. */
    public boolean signal() {
        EventNotifier current = current();
        return current != null && current.signal();
    }

    /** Takes the counter: 0 when nothing was signalled since, or there is no eventfd yet. */
    public long consume() {
        EventNotifier current = current();
        return current == null ? 0 : current.consume();
    }

    private synchronized @Nullable EventNotifier current() {
        checkOpen();
        return notifier;
    }

    /** Closes the eventfd; later calls throw. Idempotent. */
    public synchronized void close() {
        closed = true;
        if (notifier != null) {
            notifier.close();
            notifier = null;
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException(closedMessage);
        }
    }
}
