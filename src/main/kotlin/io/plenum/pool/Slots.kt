@file:JvmName("SlotsKt")
@file:OptIn(ExperimentalContracts::class)

package io.plenum.pool

import io.plenum.sync.Waiting
import io.plenum.sync.awaitGranted
import io.plenum.sync.signals
import kotlin.contracts.ExperimentalContracts
import kotlin.contracts.InvocationKind
import kotlin.contracts.contract
import kotlinx.coroutines.flow.Flow

// Naming (API.md, "Verbs"): in Kotlin the plain verb suspends, as in kotlinx.coroutines. The Java
// members of the same names block, so they carry Kotlin's hidden deprecation (io.plenum.sync.KotlinVerbs):
// Kotlin does not see them and calls these extensions. Thread-blocking forms end in Blocking and
// call the Java blocking path (through package-private names Kotlin sees). Timed forms: PoolTimeouts.kt.

/**
 * Allocates a slot without blocking a thread: suspends until one is free (the JVM's reactor
 * watches the pool; requests of one pool handle are served in order, one per freed slot). Also
 * recovers dead owners' slots when the pool stays full, as every allocation does.
 *
 * Prompt cancellation guarantee: cancelling the coroutine (or a `withTimeout` expiring) while it
 * is suspended withdraws the request at once; a slot granted at the moment of cancellation is
 * freed, never leaked. For a bounded wait prefer `alloc(timeout)`, which never loses a slot granted
 * at the deadline (a `withTimeoutOrNull { alloc() }` may return null for a slot it got).
 */
suspend fun SlotPool.alloc(): Int = allocAsync().awaitGranted { free(it) }

/** Allocates [count] slots, all or nothing, suspending until they are free; same guarantees as [alloc]. */
suspend fun SlotPool.allocN(count: Int): IntArray = allocNAsync(count).awaitGranted { freeN(*it) }

/**
 * A guard over a slot allocated as [alloc] does (suspending); closing it frees the slot. The guard
 * says whether the slot came from a dead holder ([PoolSlot.recovered]). Cancellation: as [alloc];
 * a slot granted at the moment of cancellation is given back, and a recovery it carried is reported
 * to the next allocation instead.
 */
suspend fun SlotPool.allocSlot(): PoolSlot = allocSlotAsync().awaitGranted { it.giveBack() }

/** Allocates a slot holding [value] (written before anyone sees it allocated), suspending as [alloc]. */
suspend fun SharedLongPool.allocAndSet(value: Long): Int = allocAndSetAsync(value).awaitGranted { free(it) }

/** Allocates a slot holding [value] (written before anyone sees it allocated), suspending as [alloc]. */
suspend fun SharedIntPool.allocAndSet(value: Int): Int = allocAndSetAsync(value).awaitGranted { free(it) }

/** Allocates a slot holding [value] (written before anyone sees it allocated), suspending as [alloc]. */
suspend fun SharedDoublePool.allocAndSet(value: Double): Int = allocAndSetAsync(value).awaitGranted { free(it) }

/** Allocates a slot holding [value] (zero-padded, written before anyone sees it allocated), suspending as [alloc]. */
suspend fun SharedBytePool.allocAndSet(value: ByteArray): Int = allocAndSetAsync(value).awaitGranted { free(it) }

/** Allocates a slot holding [value] (written before anyone sees it allocated), suspending as [alloc]. */
suspend fun SharedStringPool.allocAndSet(value: String): Int = allocAndSetAsync(value).awaitGranted { free(it) }

/** As [allocAndSet] for a value already encoded as UTF-8, suspending as [alloc]. */
suspend fun SharedStringPool.allocAndSet(utf8: ByteArray): Int =
    allocWritingAsync(writing(utf8)).awaitGranted { free(it) }

/** As [alloc], blocking the calling thread (Java's `alloc()`); an interrupt ends it with [InterruptedException]. */
fun SlotPool.allocBlocking(): Int = allocUntil(Waiting.NO_DEADLINE)

/** As [allocN], blocking the calling thread (Java's `allocN(count)`). */
fun SlotPool.allocNBlocking(count: Int): IntArray = checkNotNull(allocNUntil(count, Waiting.NO_DEADLINE))

/** As [allocSlot], blocking the calling thread (Java's `allocSlot()`). */
fun SlotPool.allocSlotBlocking(): PoolSlot = checkNotNull(allocSlotUntil(Waiting.NO_DEADLINE))

/** As [allocAndSet], blocking the calling thread (Java's `allocAndSet(value)`). */
fun SharedLongPool.allocAndSetBlocking(value: Long): Int = allocWriting(Waiting.NO_DEADLINE, writing(value))

/** As [allocAndSet], blocking the calling thread (Java's `allocAndSet(value)`). */
fun SharedIntPool.allocAndSetBlocking(value: Int): Int = allocWriting(Waiting.NO_DEADLINE, writing(value))

/** As [allocAndSet], blocking the calling thread (Java's `allocAndSet(value)`). */
fun SharedDoublePool.allocAndSetBlocking(value: Double): Int = allocWriting(Waiting.NO_DEADLINE, writing(value))

/** As [allocAndSet], blocking the calling thread (Java's `allocAndSet(value)`). */
fun SharedBytePool.allocAndSetBlocking(value: ByteArray): Int = allocWriting(Waiting.NO_DEADLINE, writing(value))

/** As [allocAndSet], blocking the calling thread (Java's `allocAndSet(value)`). */
fun SharedStringPool.allocAndSetBlocking(value: String): Int = allocWriting(Waiting.NO_DEADLINE, writing(value))

/** As [allocAndSet] for a value already encoded as UTF-8, blocking the calling thread. */
fun SharedStringPool.allocAndSetBlocking(utf8: ByteArray): Int = allocWriting(Waiting.NO_DEADLINE, writing(utf8))

/**
 * Runs [block] with a slot allocated by [alloc] (suspending, not blocking a thread), and frees
 * it however [block] ends. Cancellation while waiting: as [alloc]; [block] then never runs.
 */
suspend inline fun <R> SlotPool.withSlot(block: (slot: Int) -> R): R {
    contract { callsInPlace(block, InvocationKind.EXACTLY_ONCE) }
    val slot = alloc()
    try {
        return block(slot)
    } finally {
        free(slot)
    }
}

/**
 * As [withSlot], but blocks the calling thread until a slot is free ([allocBlocking]), for code
 * outside coroutines.
 */
inline fun <R> SlotPool.withSlotBlocking(block: (slot: Int) -> R): R {
    contract { callsInPlace(block, InvocationKind.EXACTLY_ONCE) }
    val slot = allocBlocking()
    try {
        return block(slot)
    } finally {
        free(slot)
    }
}

/**
 * The signals of this pool handle's eventfd ([SlotPool.eventfd], created if needed) as a cold
 * [Flow]: each element is the counter one consume took. Another process signals it after opening
 * it by (pid, fd); this one with [SlotPool.signalEventfd]. The flow completes normally when the
 * pool is closed (closing the pool closes its eventfd), also while a collector is suspended in it.
 */
fun SlotPool.notifications(): Flow<Long> = eventfd().signals()
