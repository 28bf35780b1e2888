@file:JvmName("ValueTimeouts")

package io.plenum.value

import kotlin.time.Duration
import kotlin.time.toJavaDuration

// The bounded waits of a shared value with a kotlin.time.Duration, blocking the calling thread as
// their java.time.Duration members do. In coroutine code prefer `withTimeoutOrNull` around
// `awaitChange` or `withLock { }`, which suspend instead.

/** The writer lock taken within [timeout]; null when it passed first. */
fun <T : Any> SharedValue<T>.tryLock(timeout: Duration): ValueLock<T>? = tryLock(timeout.toJavaDuration())

/** Blocks until the version is no longer [afterVersion], at most [timeout]; false when it passed with no change. */
fun SharedValue<*>.waitForChange(afterVersion: Long, timeout: Duration): Boolean =
    waitForChange(afterVersion, timeout.toJavaDuration())
