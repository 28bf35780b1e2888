@file:JvmName("MapTimeouts")

package io.plenum.map

import kotlin.time.Duration
import kotlin.time.toJavaDuration

/**
 * Blocks until the value of [key] differs from [current] (null: absent), at most [timeout]; false
 * when it passed first. In coroutine code prefer `withTimeoutOrNull(timeout) { awaitChange(key, current) }`.
 */
fun <K : Any, V : Any> SharedMap<K, V>.waitForChange(key: K, current: V?, timeout: Duration): Boolean =
    waitForChange(key, current, timeout.toJavaDuration())
