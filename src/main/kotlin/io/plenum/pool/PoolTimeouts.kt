@file:JvmName("PoolTimeouts")

package io.plenum.pool

import io.plenum.sync.awaitGranted
import io.plenum.sync.completeWithin
import kotlin.time.Duration
import kotlin.time.toJavaDuration

// The bounded waits of a pool with a kotlin.time.Duration. The plain verbs suspend at most
// [timeout] and return null when it passed first; a slot granted at the deadline is never lost,
// which `withTimeoutOrNull(timeout) { pool.alloc() }` cannot promise (its timeout may strike after
// the slot arrived, and the slot is then dropped while still allocated). The …Blocking forms block
// the calling thread instead, as Java's `alloc(java.time.Duration)` does.

/** Allocates a slot, suspending at most [timeout]; null when it passed first. Cancellation: as [alloc]. */
suspend fun SlotPool.alloc(timeout: Duration): Int? = allocAsync().completeWithin(timeout, null).awaitGranted { free(it) }

/** Allocates [count] slots, all or nothing, suspending at most [timeout]; null when it passed first. */
suspend fun SlotPool.allocN(count: Int, timeout: Duration): IntArray? =
    allocNAsync(count).completeWithin(timeout, null).awaitGranted { freeN(*it) }

/** A guard over a slot allocated within [timeout] (suspending); null when it passed first. */
suspend fun SlotPool.allocSlot(timeout: Duration): PoolSlot? =
    allocSlotAsync().completeWithin(timeout, null).awaitGranted { it.giveBack() }

/** Allocates a slot holding [value], suspending at most [timeout]; null when it passed first. */
suspend fun SharedLongPool.allocAndSet(value: Long, timeout: Duration): Int? =
    allocAndSetAsync(value).completeWithin(timeout, null).awaitGranted { free(it) }

/** Allocates a slot holding [value], suspending at most [timeout]; null when it passed first. */
suspend fun SharedIntPool.allocAndSet(value: Int, timeout: Duration): Int? =
    allocAndSetAsync(value).completeWithin(timeout, null).awaitGranted { free(it) }

/** Allocates a slot holding [value], suspending at most [timeout]; null when it passed first. */
suspend fun SharedDoublePool.allocAndSet(value: Double, timeout: Duration): Int? =
    allocAndSetAsync(value).completeWithin(timeout, null).awaitGranted { free(it) }

/** Allocates a slot holding [value], suspending at most [timeout]; null when it passed first. */
suspend fun SharedBytePool.allocAndSet(value: ByteArray, timeout: Duration): Int? =
    allocAndSetAsync(value).completeWithin(timeout, null).awaitGranted { free(it) }

/** Allocates a slot holding [value], suspending at most [timeout]; null when it passed first. */
suspend fun SharedStringPool.allocAndSet(value: String, timeout: Duration): Int? =
    allocAndSetAsync(value).completeWithin(timeout, null).awaitGranted { free(it) }

/** Allocates a slot, blocking at most [timeout]; null when it passed first. */
fun SlotPool.allocBlocking(timeout: Duration): Int? = SlotPool.boxed(allocUntil(deadline(timeout)))

/** Allocates [count] slots, all or nothing, blocking at most [timeout]; null when it passed first. */
fun SlotPool.allocNBlocking(count: Int, timeout: Duration): IntArray? = allocNUntil(count, deadline(timeout))

/** A guard over a slot allocated within [timeout], blocking; null when it passed first. */
fun SlotPool.allocSlotBlocking(timeout: Duration): PoolSlot? = allocSlotUntil(deadline(timeout))

/** Allocates a slot holding [value], blocking at most [timeout]; null when it passed first. */
fun SharedLongPool.allocAndSetBlocking(value: Long, timeout: Duration): Int? =
    SlotPool.boxed(allocWriting(deadline(timeout), writing(value)))

/** Allocates a slot holding [value], blocking at most [timeout]; null when it passed first. */
fun SharedIntPool.allocAndSetBlocking(value: Int, timeout: Duration): Int? =
    SlotPool.boxed(allocWriting(deadline(timeout), writing(value)))

/** Allocates a slot holding [value], blocking at most [timeout]; null when it passed first. */
fun SharedDoublePool.allocAndSetBlocking(value: Double, timeout: Duration): Int? =
    SlotPool.boxed(allocWriting(deadline(timeout), writing(value)))

/** Allocates a slot holding [value], blocking at most [timeout]; null when it passed first. */
fun SharedBytePool.allocAndSetBlocking(value: ByteArray, timeout: Duration): Int? =
    SlotPool.boxed(allocWriting(deadline(timeout), writing(value)))

/** Allocates a slot holding [value], blocking at most [timeout]; null when it passed first. */
fun SharedStringPool.allocAndSetBlocking(value: String, timeout: Duration): Int? =
    SlotPool.boxed(allocWriting(deadline(timeout), writing(value)))

private fun deadline(timeout: Duration): Long = SlotPool.deadline(timeout.toJavaDuration())
