@file:JvmName("ArrayTimeouts")

package io.plenum.array

import io.plenum.sync.LockGuard
import kotlin.time.Duration
import kotlin.time.toJavaDuration

// The bounded lock waits of an array with a kotlin.time.Duration, as its java.time.Duration members.

/** The whole-array write lock taken within [timeout], as a guard; null when it passed first. */
fun SharedArray.tryWriteLock(timeout: Duration): LockGuard? = tryWriteLock(timeout.toJavaDuration())

/** A whole-array read lock taken within [timeout], as a guard; null when it passed first. */
fun SharedArray.tryReadLock(timeout: Duration): LockGuard? = tryReadLock(timeout.toJavaDuration())
