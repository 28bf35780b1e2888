@file:JvmName("FuturesKt")

package io.plenum.sync

import java.util.concurrent.CompletableFuture
import java.util.concurrent.CompletionException
import java.util.concurrent.TimeUnit
import kotlin.time.Duration
import kotlinx.coroutines.suspendCancellableCoroutine

/**
 * This future, completed with [onTimeout] once [timeout] passes (never when it is infinite; at once
 * when it is zero or negative and the future is still waiting). Plenum's acquisition futures treat
 * a completion from outside as the end of the request: the wait is withdrawn and whatever arrives
 * later is given back. So a timed suspending verb built on this can never drop what it got at the
 * deadline, which `withTimeoutOrNull { … }` around the untimed verb cannot promise.
 */
internal fun <T : Any> CompletableFuture<T>.completeWithin(timeout: Duration, onTimeout: T?): CompletableFuture<T?> {
    @Suppress("UNCHECKED_CAST")
    val nullable = this as CompletableFuture<T?>
    return if (timeout == Duration.INFINITE) {
        nullable
    } else {
        nullable.completeOnTimeout(onTimeout, timeout.inWholeNanoseconds.coerceAtLeast(0), TimeUnit.NANOSECONDS)
    }
}

/**
 * Awaits a future of something held (a slot, a lock): cancellation cancels the future, and a result
 * that arrives for a cancelled coroutine is handed to [giveBack]. A null result (a timeout's, see
 * [completeWithin]) holds nothing and is not given back. The one await of every structure's
 * suspending acquisition.
 */
internal suspend fun <T> CompletableFuture<T>.awaitGranted(giveBack: (T & Any) -> Unit): T =
    suspendCancellableCoroutine { continuation ->
        continuation.invokeOnCancellation { cancel(false) }
        whenComplete { value, failure ->
            if (failure != null) {
                val cause = if (failure is CompletionException && failure.cause != null) failure.cause!! else failure
                continuation.resumeWith(Result.failure(cause))
            } else {
                continuation.resume(value) { _, granted, _ -> if (granted != null) giveBack(granted) }
            }
        }
    }
