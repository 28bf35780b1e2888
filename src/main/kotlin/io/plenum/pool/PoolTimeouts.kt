@file:JvmName("PoolTimeouts")

package io.plenum.pool

import kotlin.time.Duration
import kotlin.time.toJavaDuration

// The bounded waits of a pool with a kotlin.time.Duration: each blocks the calling thread at most
// [timeout] and returns null when it passed first, as its java.time.Duration member does. In
// coroutine code prefer `withTimeoutOrNull(timeout) { pool.awaitAlloc() }`, which suspends instead.

/** Allocates a slot, blocking at most [timeout]; null when it passed first. */
fun SlotPool.alloc(timeout: Duration): Int? = alloc(timeout.toJavaDuration())

/** Allocates [count] slots, all or nothing, blocking at most [timeout]; null when it passed first. */
fun SlotPool.allocN(count: Int, timeout: Duration): IntArray? = allocN(count, timeout.toJavaDuration())

/** A guard over a slot allocated within [timeout]; null when it passed first. */
fun SlotPool.allocSlot(timeout: Duration): PoolSlot? = allocSlot(timeout.toJavaDuration())

/** Allocates a slot holding [value], blocking at most [timeout]; null when it passed first. */
fun SharedLongPool.allocAndSet(value: Long, timeout: Duration): Int? = allocAndSet(value, timeout.toJavaDuration())

/** Allocates a slot holding [value], blocking at most [timeout]; null when it passed first. */
fun SharedIntPool.allocAndSet(value: Int, timeout: Duration): Int? = allocAndSet(value, timeout.toJavaDuration())

/** Allocates a slot holding [value], blocking at most [timeout]; null when it passed first. */
fun SharedDoublePool.allocAndSet(value: Double, timeout: Duration): Int? = allocAndSet(value, timeout.toJavaDuration())

/** Allocates a slot holding [value], blocking at most [timeout]; null when it passed first. */
fun SharedBytePool.allocAndSet(value: ByteArray, timeout: Duration): Int? = allocAndSet(value, timeout.toJavaDuration())

/** Allocates a slot holding [value], blocking at most [timeout]; null when it passed first. */
fun SharedStringPool.allocAndSet(value: String, timeout: Duration): Int? = allocAndSet(value, timeout.toJavaDuration())
