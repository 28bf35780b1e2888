@file:JvmName("DeadlinesKt")

package io.plenum.sync

import java.util.concurrent.CompletableFuture
import java.util.concurrent.TimeUnit
import kotlin.time.Duration

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
