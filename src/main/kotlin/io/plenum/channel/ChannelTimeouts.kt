@file:JvmName("ChannelTimeouts")

package io.plenum.channel

import kotlinx.coroutines.channels.ChannelResult
import kotlin.time.Duration
import kotlin.time.toJavaDuration

// The bounded waits of a channel with a kotlin.time.Duration. `send(element, timeout)` and
// `receive(timeout)` suspend at most [timeout]; prefer them to `withTimeoutOrNull(timeout) { receive() }`,
// whose timeout may strike after the message was taken and drop it. `offer` and `poll` block the
// calling thread, as their java.time.Duration members do.

/**
 * Sends [element], suspending at most [timeout] while the channel is full; false when it passed
 * first (nothing was sent). Cancellation and errors: as [send].
 */
suspend fun <T : Any> SharedChannel<T>.send(element: T, timeout: Duration): Boolean {
    val bytes = encode(element)
    return retryWithin(timeout, producerSide = true) { sendNowOrThrowClosed(bytes) }
}

/**
 * Receives the next message, suspending at most [timeout] while the channel is empty; null when it
 * passed first. A message that arrives as the timeout strikes is returned or left in the channel,
 * never lost. Closed and drained: [kotlinx.coroutines.channels.ClosedReceiveChannelException], as [receive].
 */
suspend fun <T : Any> SharedChannel<T>.receive(timeout: Duration): T? {
    var result: ChannelResult<T>? = null
    val got = retryWithin(timeout, producerSide = false) {
        val next = tryReceive()
        if (next.isFailure && !next.isClosed) false else {
            result = next
            true
        }
    }
    return if (got) result!!.getOrThrow() else null
}

/** Sends [element], blocking at most [timeout] for room; false when it passed first. */
fun <T : Any> SharedChannel<T>.offer(element: T, timeout: Duration): Boolean = offer(element, timeout.toJavaDuration())

/** Receives, blocking at most [timeout]; null when it passed first, or the channel is closed and drained. */
fun <T : Any> SharedChannel<T>.poll(timeout: Duration): T? = poll(timeout.toJavaDuration())
