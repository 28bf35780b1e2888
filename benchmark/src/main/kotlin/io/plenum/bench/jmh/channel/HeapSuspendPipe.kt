package io.plenum.bench.jmh.channel

import kotlinx.coroutines.channels.Channel

/**
 * `heap` column of `channel.I64.spsc_suspend`, the in-heap reference: a kotlinx.coroutines
 * `Channel<Long>(1024)` between the two coroutines, `send` and `receiveCatching`.
 */
class HeapSuspendPipe : SuspendPipe("heap") {
    private val channel = Channel<Long>(PlenumSuspendPipe.CAPACITY)

    override suspend fun send(value: Long) = channel.send(value)

    override suspend fun receiveOrNull(): Long? = channel.receiveCatching().getOrNull()

    override fun closeForSend() {
        channel.close()
    }
}
