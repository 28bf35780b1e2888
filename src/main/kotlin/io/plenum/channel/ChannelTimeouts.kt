@file:JvmName("ChannelTimeouts")

package io.plenum.channel

import kotlin.time.Duration
import kotlin.time.toJavaDuration

// The bounded waits of a channel with a kotlin.time.Duration, blocking the calling thread as their
// java.time.Duration members do. In coroutine code prefer `withTimeoutOrNull(timeout) { send(e) }`
// and `withTimeoutOrNull(timeout) { receive() }`, which suspend instead.

/** Sends [element], blocking at most [timeout] for room; false when it passed first. */
fun <T : Any> SharedChannel<T>.offer(element: T, timeout: Duration): Boolean = offer(element, timeout.toJavaDuration())

/** Receives, blocking at most [timeout]; null when it passed first, or the channel is closed and drained. */
fun <T : Any> SharedChannel<T>.poll(timeout: Duration): T? = poll(timeout.toJavaDuration())
