package io.plenum.bench.xp.scenario

import io.plenum.bench.xp.Handoff
import io.plenum.bench.xp.PingPongScenario
import io.plenum.bench.xp.WorkerContext
import io.plenum.codec.Codecs
import io.plenum.sync.Waiting
import java.lang.foreign.MemorySegment
import java.util.concurrent.atomic.AtomicReference
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.first

/**
 * `heap` column of `value.wake_suspending`: the protocol of [WakeValueSuspendPlenum] by two
 * threads of one JVM. Each inbox is an `AtomicReference` of the value encoded with `Codecs.LONG`
 * plus a kotlinx `MutableStateFlow` of its version; the waiter is a coroutine on a one-thread
 * dispatcher suspended in `first { it != version }`, resumed by the setter's `value =`. What a
 * suspending change-to-wake costs without shared memory or a reactor.
 */
class WakeValueSuspendHeap : PingPongScenario() {

    private class Inbox {
        val encoded = AtomicReference<ByteArray>()
        val version = MutableStateFlow(0L)

        /** Only the other role sets this inbox, so the version's read-then-write is not racy. */
        fun set(value: Long) {
            encoded.set(Codecs.LONG.encode(value))
            version.value = version.value + 1
        }
    }

    private val inboxes = arrayOf(Inbox(), Inbox())

    override fun inOneJvm() = true

    override fun row() = "value.wake_suspending"

    override fun column() = "heap"

    override fun handoff(ctx: WorkerContext, memory: MemorySegment): Handoff {
        val mine = inboxes[ctx.worker()]
        val theirs = inboxes[1 - ctx.worker()]
        return suspendingHandoff("heap-value-dispatcher", { offset, value ->
            Waiting.set(memory, offset, value)
            theirs.set(value.toLong())
        }) { side ->
            while (true) {
                val version = mine.version.value
                if (Waiting.value(memory, side.inbox()) != side.expected()) break
                mine.version.first { it != version }
            }
        }
    }
}
