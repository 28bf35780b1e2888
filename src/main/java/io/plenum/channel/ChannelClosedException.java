package io.plenum.channel;

import org.jspecify.annotations.Nullable;

/**
 * A send on a channel closed for send, or a blocking receive on one closed and drained. The message
 * names the channel and the reason given to {@link SharedChannel#closeForSend(String)}.
 */
public class ChannelClosedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;
    private final @Nullable String reason;

    public ChannelClosedException(String message, @Nullable String reason) {
        super(message);
        this.reason = reason;
    }

    /** The reason the closer gave, or null when it gave none. */
    public @Nullable String reason() {
        return reason;
    }
}
