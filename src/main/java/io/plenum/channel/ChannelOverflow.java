package io.plenum.channel;

/**
 * What a send does when the channel is full, as kotlinx.coroutines' {@code BufferOverflow}. The
 * policy belongs to the handle that sends (another process may open the same channel with another).
 */
public enum ChannelOverflow {
    /** Wait for room (blocking, suspending, or timing out; {@code tryOffer} answers false). */
    SUSPEND,
    /** Remove the oldest message to make room; the send never waits for a consumer. Counted dropped. */
    DROP_OLDEST,
    /** Drop the message being sent and report success; the channel keeps its contents. Counted dropped. */
    DROP_LATEST
}
