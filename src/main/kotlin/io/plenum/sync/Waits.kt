@file:JvmName("WaitsKt")

package io.plenum.sync

import java.lang.foreign.MemorySegment
import kotlin.coroutines.resume
import kotlin.coroutines.resumeWithException
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.suspendCancellableCoroutine

/**
 * Suspends until the wait word at [offset] of [memory] no longer holds [expected] (see [Waiting]
 * for the layout and the waker's side), without blocking a thread: the JVM's [Reactor] watches it.
 *
 * Prompt cancellation guarantee: cancelling the coroutine withdraws the wait at once.
 */
suspend fun Reactor.awaitChange(memory: MemorySegment, offset: Long, expected: Int) {
    suspendCancellableCoroutine { continuation ->
        val registration = watch(memory, offset, expected, Waiting.NO_DEADLINE) { _, failure ->
            if (failure != null) continuation.resumeWithException(failure) else continuation.resume(Unit)
        }
        continuation.invokeOnCancellation { registration.cancel() }
    }
}

/** As [awaitChange] on the shared reactor. */
suspend fun awaitWordChange(memory: MemorySegment, offset: Long, expected: Int) =
    Reactor.shared().awaitChange(memory, offset, expected)

/**
 * Suspends until the counter is non-zero (without consuming it). Throws [IllegalStateException]
 * when the notifier is closed, before the call or while suspended.
 */
suspend fun EventNotifier.awaitSignal() {
    suspendCancellableCoroutine { continuation ->
        val registration = watch { _, failure ->
            if (failure != null) continuation.resumeWithException(failure) else continuation.resume(Unit)
        }
        continuation.invokeOnCancellation { registration.cancel() }
    }
}

/** Suspends until the counter is non-zero, consumes it, and returns what it held. */
suspend fun EventNotifier.receive(): Long {
    while (true) {
        val value = consume()
        if (value != 0L) return value
        awaitSignal()
    }
}

/**
 * The signals of this eventfd as a cold [Flow]: each element is what one [EventNotifier.consume]
 * took (signals that arrive together are summed by the kernel). Collecting consumes. The flow
 * completes normally when the notifier is closed (also while the collector is suspended in it:
 * closing ends its wait promptly, see [EventNotifier.close]), and otherwise runs until its
 * collector is cancelled. Any other failure is thrown to the collector.
 */
fun EventNotifier.signals(): Flow<Long> = flow {
    while (true) {
        val value = try {
            receive()
        } catch (failure: IllegalStateException) {
            // Closed before the call or during the wait: either way the stream of signals is over.
            if (isClosed) return@flow
            throw failure
        }
        emit(value)
    }
}
