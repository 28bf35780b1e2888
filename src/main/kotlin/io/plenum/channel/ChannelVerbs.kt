@file:JvmName("ChannelVerbs")
@file:OptIn(InternalCoroutinesApi::class)

package io.plenum.channel

import kotlin.coroutines.resumeWithException
import kotlinx.coroutines.InternalCoroutinesApi
import kotlinx.coroutines.channels.ChannelIterator
import kotlinx.coroutines.channels.ChannelResult
import kotlinx.coroutines.channels.ClosedReceiveChannelException
import kotlinx.coroutines.channels.ClosedSendChannelException
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.suspendCancellableCoroutine
import java.util.concurrent.atomic.AtomicBoolean
import kotlin.time.Duration
import kotlin.time.TimeSource
import kotlinx.coroutines.withTimeoutOrNull

/*
 * The kotlinx.coroutines verbs of a SharedChannel. They read like kotlinx's SendChannel and
 * ReceiveChannel (same names, same results), without implementing those interfaces: their select
 * clauses (onSend, onReceive) can only be built on kotlinx internals.
 *
 * How a suspended verb waits: it asks the handle for a *signal* (a grant to try once, see
 * ChannelAsync.Signal) and suspends on it without a thread; the JVM's reactor watches the wait
 * word. One change grants one waiter, which then tries in its own coroutine and gives the grant
 * back. The message is therefore taken by the coroutine's own code after it resumed: a receiver
 * cancelled while suspended took nothing, and the message stays in the channel for the next one.
 */

/**
 * Sends [element], suspending while the channel is full (policy SUSPEND; DROP_OLDEST and
 * DROP_LATEST never suspend).
 *
 * Prompt cancellation guarantee: if the coroutine is cancelled while suspended, nothing was sent.
 *
 * @throws ClosedSendChannelException the channel is closed for send (by any process)
 * @throws IllegalArgumentException null, or larger than maxMessageSize (nothing was sent)
 */
suspend fun <T : Any> SharedChannel<T>.send(element: T) {
    val bytes = encode(element)
    retry(producerSide = true) { sendNowOrThrowClosed(bytes) }
}

/** One try to send: false when full; a closed channel is kotlinx's [ClosedSendChannelException]. */
internal fun SharedChannel<*>.sendNowOrThrowClosed(bytes: ByteArray): Boolean =
    try {
        sendNow(bytes)
    } catch (e: ChannelClosedException) {
        throw ClosedSendChannelException(e.message).apply { initCause(e) }
    }

/**
 * Sends [element] if there is room now: success, failure (full), or closed. Never throws for a
 * full or closed channel; bad input still throws [IllegalArgumentException].
 */
fun <T : Any> SharedChannel<T>.trySend(element: T): ChannelResult<Unit> {
    val bytes = encode(element)
    return try {
        if (sendNow(bytes)) ChannelResult.success(Unit) else ChannelResult.failure()
    } catch (e: ChannelClosedException) {
        ChannelResult.closed(ClosedSendChannelException(e.message).apply { initCause(e) })
    }
}

/**
 * Receives the next message, suspending while the channel is empty.
 *
 * Prompt cancellation guarantee: if the coroutine is cancelled while suspended, no message was
 * taken for it; a message that arrived meanwhile stays in the channel for the next receiver.
 *
 * @throws ClosedReceiveChannelException closed for send and drained
 */
suspend fun <T : Any> SharedChannel<T>.receive(): T {
    val result = receiveCatching()
    return result.getOrNull() ?: throw (result.exceptionOrNull() ?: closedForReceive())
}

/** As [receive], but closing is a closed [ChannelResult] instead of an exception. */
suspend fun <T : Any> SharedChannel<T>.receiveCatching(): ChannelResult<T> {
    var result: ChannelResult<T>? = null
    retry(producerSide = false) {
        val next = tryReceive()
        if (next.isFailure && !next.isClosed) false else {
            result = next
            true
        }
    }
    return result!!
}

/** The next message if one is there now: success, failure (empty), or closed (closed and drained). */
fun <T : Any> SharedChannel<T>.tryReceive(): ChannelResult<T> {
    val next = receiveNow()
    @Suppress("UNCHECKED_CAST")
    return when {
        next === SharedChannel.nothing() -> ChannelResult.failure()
        next === SharedChannel.ended() -> ChannelResult.closed(closedForReceive())
        else -> ChannelResult.success(next as T)
    }
}

/** Ends the channel for every process, as [SharedChannel.closeForSend] with [cause] as the reason. */
fun SharedChannel<*>.closeForSend(cause: Throwable): Boolean = closeForSend(cause.toString())

/** `for (message in channel) { … }`: receives until the channel is closed and drained. */
operator fun <T : Any> SharedChannel<T>.iterator(): ChannelIterator<T> = object : ChannelIterator<T> {
    private var next: T? = null

    override suspend fun hasNext(): Boolean {
        if (next != null) return true
        val result = receiveCatching()
        result.exceptionOrNull()?.let { if (it !is ClosedReceiveChannelException) throw it }
        next = result.getOrNull()
        return next != null
    }

    override fun next(): T {
        val value = next ?: throw IllegalStateException("${describe()}: next() without hasNext() returning true")
        next = null
        return value
    }
}

/**
 * The messages as a hot flow that may be collected several times (concurrently, too: collectors
 * compete for messages). Ends when the channel is closed and drained; collecting does not close
 * anything.
 */
fun <T : Any> SharedChannel<T>.receiveAsFlow(): Flow<T> = flow {
    for (message in this@receiveAsFlow) emit(message)
}

/**
 * The messages as a flow that may be collected once; when collection ends (the channel drained
 * after closeForSend, an error, or the collector cancelled) this handle is released
 * ([SharedChannel.close]). Other processes go on.
 */
fun <T : Any> SharedChannel<T>.consumeAsFlow(): Flow<T> {
    val consumed = AtomicBoolean()
    return flow {
        check(consumed.compareAndSet(false, true)) { "${describe()}: consumeAsFlow can be collected only once" }
        try {
            for (message in this@consumeAsFlow) emit(message)
        } finally {
            close()
        }
    }
}

private fun SharedChannel<*>.closedForReceive(): ClosedReceiveChannelException {
    val reason = closeReason()
    return ClosedReceiveChannelException("${describe()}: channel is closed for receive" + (reason?.let { ": $it" } ?: ""))
}

/**
 * As [retry], giving up once [timeout] has passed; false then. Only the wait for a grant is under
 * the coroutine timeout: a grant that arrives as the timeout strikes is still used for one try and
 * given back, and the try itself (which takes or puts the message) runs outside the timeout, so a
 * message is never taken and then dropped by the timeout.
 */
internal suspend fun SharedChannel<*>.retryWithin(timeout: Duration, producerSide: Boolean, attempt: () -> Boolean): Boolean {
    if (attempt()) return true
    val side = if (producerSide) senders else receivers
    val deadline = TimeSource.Monotonic.markNow() + timeout
    while (true) {
        val left = -deadline.elapsedNow()
        if (!left.isPositive()) return false
        var granted = false
        withTimeoutOrNull(left) {
            awaitGrant(producerSide, side)
            granted = true
        }
        if (!granted) return false
        val done = try {
            attempt()
        } finally {
            side.release()
        }
        if (done) return true
    }
}

/** Runs [attempt] until it answers true, suspending on a signal between tries. */
private suspend inline fun SharedChannel<*>.retry(producerSide: Boolean, attempt: () -> Boolean) {
    if (attempt()) return
    val side = if (producerSide) senders else receivers
    while (true) {
        awaitGrant(producerSide, side)
        val done = try {
            attempt()
        } finally {
            side.release()
        }
        if (done) return
    }
}

/** Suspends until this coroutine holds a grant to try once; a grant that reaches a cancelled coroutine is given back. */
private suspend fun SharedChannel<*>.awaitGrant(producerSide: Boolean, side: ChannelAsync) {
    val future = signal(producerSide)
    suspendCancellableCoroutine { continuation ->
        future.whenComplete { _, failure ->
            if (failure == null) {
                continuation.resume(Unit) { _, _, _ -> side.release() }
            } else if (future.isCancelled.not()) {
                continuation.resumeWithException(failure)
            }
        }
        continuation.invokeOnCancellation { future.cancel(false) }
    }
}
