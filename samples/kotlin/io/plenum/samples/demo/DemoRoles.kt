@file:JvmName("DemoRoles")

package io.plenum.samples.demo

import io.plenum.array.SharedIntArray
import io.plenum.array.SharedLongArray
import io.plenum.channel.SharedChannel
import io.plenum.channel.iterator
import io.plenum.channel.send
import io.plenum.segment.Backing
import io.plenum.segment.OpenMode
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking

/**
 * The child JVMs of the [Demo]: `producer CHANNEL COUNTERS SEEN COUNT` sends 0 until COUNT with the
 * suspending `send`, then ends the channel for everyone; `consumer CHANNEL COUNTERS SEEN INDEX`
 * receives with `for (x in channel)` until the channel is closed and drained, marking each message
 * in SEEN and counting it in its own counter.
 */
fun main(args: Array<String>) {
    val channel = SharedChannel<Long>(args[1]) { mode = OpenMode.OPEN_EXISTING }
    val counters = SharedLongArray.open(Backing.file(args[2]), -1)
    val seen = SharedIntArray.open(Backing.file(args[3]), -1)
    runBlocking {
        when (args[0]) {
            "producer" -> {
                val count = args[4].toLong()
                for (i in 0 until count) {
                    if (i == count / 2) while (counters.get(Demo.GATE * Demo.STRIDE) == 0L) delay(10)
                    channel.send(i)
                    counters.setRelease(Demo.SENT * Demo.STRIDE, i + 1)
                }
                channel.closeForSend("the producer sent all $count")
            }
            "consumer" -> {
                val own = (Demo.FIRST_CONSUMER + args[4].toInt()) * Demo.STRIDE
                for (message in channel) {
                    seen.getAndAdd(message.toInt(), 1)
                    counters.getAndAdd(own, 1)
                }
            }
        }
    }
    channel.close()
}
