@file:JvmName("SlotsKt")
@file:OptIn(ExperimentalContracts::class)

package io.plenum.pool

import io.plenum.sync.signals
import java.util.concurrent.CompletableFuture
import java.util.concurrent.CompletionException
import kotlin.contracts.ExperimentalContracts
import kotlin.contracts.InvocationKind
import kotlin.contracts.contract
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.suspendCancellableCoroutine

// Naming (API.md, "Verbs"): the plain Kotlin verb suspends, but a Java member always wins over a
// Kotlin extension, and the Java `alloc()` / `allocN(n)` block (as java.util.concurrent does): the
// bare suspending allocations are therefore `awaitAlloc()` / `awaitAllocN(n)`; `withSlot { }` has no
// Java namesake and suspends; its thread-blocking form is `withSlotBlocking { }`.

/**
 * Allocates a slot without blocking a thread: suspends until one is free (the JVM's reactor
 * watches the pool; requests of one pool handle are served in order, one per freed slot). Also
 * recovers dead owners' slots when the pool stays full, like [SlotPool.alloc].
 *
 * Prompt cancellation guarantee: cancelling the coroutine (or a `withTimeout` expiring) while it
 * is suspended withdraws the request at once; a slot granted at the moment of cancellation is
 * freed, never leaked.
 */
suspend fun SlotPool.awaitAlloc(): Int = allocAsync().awaitGranted { free(it) }

/** Allocates [count] slots, all or nothing, suspending until they are free; same guarantees as [awaitAlloc]. */
suspend fun SlotPool.awaitAllocN(count: Int): IntArray = allocNAsync(count).awaitGranted { freeN(*it) }

/**
 * Runs [block] with a slot allocated by [awaitAlloc] (suspending, not blocking a thread), and frees
 * it however [block] ends. Cancellation while waiting: as [awaitAlloc]; [block] then never runs.
 */
suspend inline fun <R> SlotPool.withSlot(block: (slot: Int) -> R): R {
    contract { callsInPlace(block, InvocationKind.EXACTLY_ONCE) }
    val slot = awaitAlloc()
    try {
        return block(slot)
    } finally {
        free(slot)
    }
}

/**
 * As [withSlot], but blocks the calling thread until a slot is free ([SlotPool.alloc]), for code
 * outside coroutines.
 */
inline fun <R> SlotPool.withSlotBlocking(block: (slot: Int) -> R): R {
    contract { callsInPlace(block, InvocationKind.EXACTLY_ONCE) }
    val slot = alloc()
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

/**
 * Awaits an allocation future. Cancellation cancels the future; a result that arrives for a
 * cancelled coroutine is handed to [giveBack].
 */
@PublishedApi
internal suspend fun <T : Any> CompletableFuture<T>.awaitGranted(giveBack: (T) -> Unit): T =
    suspendCancellableCoroutine { continuation ->
        continuation.invokeOnCancellation { cancel(false) }
        whenComplete { value, failure ->
            if (failure != null) {
                val cause = if (failure is CompletionException && failure.cause != null) failure.cause!! else failure
                continuation.resumeWith(Result.failure(cause))
            } else {
                continuation.resume(value) { _, granted, _ -> giveBack(granted) }
            }
        }
    }
