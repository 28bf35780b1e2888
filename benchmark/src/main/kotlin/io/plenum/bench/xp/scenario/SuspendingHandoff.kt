package io.plenum.bench.xp.scenario

import io.plenum.bench.xp.Handoff
import io.plenum.bench.xp.PingPong
import java.util.concurrent.Executors
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.runBlocking

/**
 * A ping-pong side that is a coroutine on a one-thread dispatcher of its own (as a service would
 * give it, so that every wake crosses to that thread): [signal] changes the other side's inbox, and
 * [await] suspends until this side's inbox left [PingPong.Side.expected].
 */
internal fun suspendingHandoff(
    thread: String,
    signal: (offset: Long, value: Int) -> Unit,
    await: suspend (side: PingPong.Side) -> Unit,
): Handoff = object : Handoff {
    override fun signal(offset: Long, value: Int) = signal(offset, value)

    override fun run(side: PingPong.Side) {
        val executor = Executors.newSingleThreadExecutor { task -> Thread(task, thread) }
        try {
            runBlocking(executor.asCoroutineDispatcher()) {
                side.start()
                do {
                    await(side)
                } while (side.received())
            }
        } finally {
            executor.shutdown()
        }
    }
}
