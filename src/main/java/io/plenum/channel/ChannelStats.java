package io.plenum.channel;

/**
 * A snapshot of a channel's counters, shared by every process; all but {@code queued} only grow.
 *
 * @param sent       messages that took a position (abandoned ones included; dropped-latest ones not)
 * @param received   messages taken by receivers
 * @param queued     messages in the channel now (published, or being written)
 * @param waits      sends and receives that slept or suspended
 * @param full       sends that found the channel full
 * @param empty      receives that found the channel empty
 * @param abandoned  positions skipped because their producer died while writing them
 * @param recoveries times a waiter found the channel held up by a dead process and freed it
 * @param dropped    messages discarded by the DROP_OLDEST and DROP_LATEST policies
 */
public record ChannelStats(long sent, long received, long queued, long waits, long full, long empty,
                           long abandoned, long recoveries, long dropped) {
}
