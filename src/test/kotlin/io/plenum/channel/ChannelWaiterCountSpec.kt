package io.plenum.channel

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.plenum.codec.Codecs
import io.plenum.sync.Waiting
import io.plenum.testing.ChildJvm
import io.plenum.testing.TempPaths
import java.util.concurrent.CompletableFuture

/**
 * A waiter that can never count itself out (its JVM was killed asleep, or its handle was closed
 * under it) must not make every later send pay a wake for ever: the next wake that finds nobody
 * asleep restarts the count, and live waiters in other JVMs are still woken afterwards.
 */
class ChannelWaiterCountSpec : FunSpec({
    val paths = TempPaths("channel-waiters")
    afterSpec { paths.close() }

    fun SharedChannel<*>.receiversCounted() = Waiting.waiters(ring.memory, ChannelLayout.NOT_EMPTY_OFFSET)

    test("a receiver JVM killed asleep leaves its count; the next send restarts it, and a later receiver JVM is still woken") {
        val path = paths.next().toString()
        SharedChannel.open(Codecs.LONG, ChannelOptions.of(path).withCapacity(4).withMaxMessageSize(8)).use { channel ->
            ChildJvm.start(BlockedTake::class, path).use { child ->
                child.awaitLine("WAITING")
                while (channel.receiversCounted() == 0) Thread.sleep(10)
                Thread.sleep(200) // let it reach the futex sleep
                child.kill9()
            }
            channel.receiversCounted() shouldBe 1 // nothing can tell it from a live waiter yet
            for (i in 1..5L) {
                channel.putLong(i)
                channel.takeLong() shouldBe i
            }
            channel.receiversCounted() shouldBe 0
            ChildJvm.start(BlockedTake::class, path).use { child ->
                child.awaitLine("WAITING")
                while (channel.receiversCounted() == 0) Thread.sleep(10)
                Thread.sleep(200)
                channel.putLong(77)
                child.awaitLine("GOT 77")
                child.awaitSuccess()
            }
            channel.receiversCounted() shouldBe 0
            channel.stats().sent shouldBe 6
        }
    }

    test("a handle closed while one of its threads waits: the waiter gets IllegalStateException naming the channel, and the next send of another handle restarts the count") {
        val path = paths.next().toString()
        SharedChannel.open(Codecs.LONG, ChannelOptions.of(path).withCapacity(4).withMaxMessageSize(8)).use { other ->
            val closing = SharedChannel.open(Codecs.LONG, ChannelOptions.of(path))
            val taker = CompletableFuture<Throwable>()
            val thread = Thread {
                taker.complete(runCatching { closing.takeLong() }.exceptionOrNull())
            }
            thread.start()
            while (other.receiversCounted() == 0) Thread.sleep(10)
            Thread.sleep(100)
            closing.close()
            val failure = taker.get()
            val closed = shouldThrow<IllegalStateException> { throw failure }
            closed.message shouldContain path
            closed.message shouldContain "closed"
            thread.join()
            other.putLong(1)
            other.takeLong() shouldBe 1
            other.receiversCounted() shouldBe 0
        }
    }
})
