@file:JvmName("ValueTimeouts")

package io.plenum.value

import io.plenum.sync.completeWithin
import kotlin.time.Duration
import kotlin.time.toJavaDuration

// The bounded waits of a shared value with a kotlin.time.Duration. `lock(timeout)` suspends at
// most [timeout] and never loses a lock granted at the deadline, which `withTimeoutOrNull { lock() }`
// cannot promise. `tryLock` and `waitForChange` block the calling thread, as their java.time.Duration
// members do; in coroutine code use `withTimeoutOrNull` around `awaitChange` (a change notice lost
// to the timeout holds nothing) or `withLock { }`.

/**
 * The writer lock, suspending at most [timeout]; null when it passed first. A lock granted as the
 * timeout strikes is released, never left held. Cancellation: as [lock].
 */
suspend fun <T : Any> SharedValue<T>.lock(timeout: Duration): ValueLock<T>? =
    lockAsync().completeWithin(timeout, null).awaitValueLock()

/** The writer lock taken within [timeout]; null when it passed first. */
fun <T : Any> SharedValue<T>.tryLock(timeout: Duration): ValueLock<T>? = tryLock(timeout.toJavaDuration())

/** Blocks until the version is no longer [afterVersion], at most [timeout]; false when it passed with no change. */
fun SharedValue<*>.waitForChange(afterVersion: Long, timeout: Duration): Boolean =
    waitForChange(afterVersion, timeout.toJavaDuration())
