package io.plenum.bench.jmh.channel

import io.plenum.bench.report.Row
import io.plenum.channel.ChannelOptions
import io.plenum.channel.SharedChannel
import io.plenum.channel.receiveCatching
import io.plenum.channel.send
import io.plenum.codec.Codecs
import io.plenum.segment.OpenMode
import java.nio.file.Files
import java.nio.file.Path

/**
 * `plenum` column of `channel.I64.spsc_suspend`: a 1024-message `SharedChannel<Long>` on the file
 * at [path] (created), through its Kotlin verbs `send` and `receiveCatching`, which suspend on a
 * signal of the per-JVM reactor when the channel is full or empty.
 */
class PlenumSuspendPipe(private val path: Path) : SuspendPipe(Row.PLENUM), AutoCloseable {
    private val channel: SharedChannel<Long> = SharedChannel.open(
        Codecs.LONG,
        ChannelOptions.of(path).withCapacity(CAPACITY).withMaxMessageSize(8).withMode(OpenMode.CREATE_NEW),
    )

    override suspend fun send(value: Long) = channel.send(value)

    override suspend fun receiveOrNull(): Long? = channel.receiveCatching().getOrNull()

    override fun closeForSend() {
        channel.closeForSend()
    }

    override fun close() {
        channel.close()
        Files.deleteIfExists(path)
    }

    companion object {
        const val CAPACITY = 1024
    }
}
