package io.plenum.channel;

/**
 * A send on a channel closed for send, or a blocking receive on one closed and drained. The message
 * names the channel and the reason given to {@link SharedChannel#closeForSend(String)}.
 */
public class ChannelClosedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;
    private final String reason;

    public ChannelClosedException(String message, String reason) {
        super(message);
        this.reason = reason;
    }

    /** The reason the closer gave, or null when it gave none. */
    public String reason() {
        return reason;
    }
}
