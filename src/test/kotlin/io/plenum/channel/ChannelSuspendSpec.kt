package io.plenum.channel

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.ints.shouldBeLessThanOrEqual
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeInstanceOf
import io.plenum.sync.Reactor
import io.plenum.testing.ChildJvm
import io.plenum.testing.TempPaths
import java.lang.management.ManagementFactory
import java.util.concurrent.Executors
import java.util.concurrent.atomic.AtomicInteger
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.channels.ClosedReceiveChannelException
import kotlinx.coroutines.channels.ClosedSendChannelException
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import kotlinx.coroutines.yield
import kotlin.time.Duration.Companion.milliseconds

/** The kotlinx verbs: suspended receivers cost no thread, each send resumes one, cancellation loses nothing. */
class ChannelSuspendSpec : FunSpec({
    val paths = TempPaths("channel-suspend")
    afterSpec { paths.close() }

    test("timed send and receive suspend at most their timeout, and a message arriving at the deadline is never lost") {
        val path = paths.next().toString()
        SharedChannel<Long>(path) { capacity = 1 }.use { channel ->
            runBlocking {
                channel.receive(20.milliseconds) shouldBe null
                channel.send(1L, 20.milliseconds) shouldBe true
                channel.send(2L, 20.milliseconds) shouldBe false
                channel.receive(20.milliseconds) shouldBe 1L
                // A producer in another coroutine sends while the consumer's 1 ms waits keep timing
                // out around the arrivals: every message is received exactly once, in order.
                val count = 300L
                val producer = launch(Dispatchers.Default) {
                    for (i in 1L..count) {
                        channel.send(i)
                        if (i % 3 == 0L) delay(1)
                    }
                }
                val received = mutableListOf<Long>()
                var timeouts = 0
                val giveUp = System.nanoTime() + 30_000_000_000 // a lost message would otherwise wait for ever
                while (received.size < count && System.nanoTime() < giveUp) {
                    val next = channel.receive(1.milliseconds)
                    if (next == null) timeouts++ else received += next
                }
                producer.join()
                received shouldBe (1L..count).toList()
                channel.tryReceive().isFailure shouldBe true
                println("timed receives that timed out around arrivals: $timeouts (printed, not asserted)")
                channel.closeForSend()
                runCatching { channel.receive(20.milliseconds) }.exceptionOrNull().shouldBeInstanceOf<ClosedReceiveChannelException>()
                runCatching { channel.send(3L, 20.milliseconds) }.exceptionOrNull().shouldBeInstanceOf<ClosedSendChannelException>()
            }
        }
    }

    test("the kotlinx verbs: trySend/tryReceive results, receiveCatching, for-in until closed, the two flows") {
        SharedChannel<String>(paths.next().toString()) { capacity = 3; maxMessageSize = 32 }.use { channel ->
            channel.tryReceive().isFailure shouldBe true
            channel.trySend("a").isSuccess shouldBe true
            channel.send("b")
            channel.trySend("c").isSuccess shouldBe true
            channel.trySend("d").isFailure shouldBe true
            channel.receive() shouldBe "a"
            channel.tryReceive().getOrNull() shouldBe "b"
            channel.receiveCatching().getOrNull() shouldBe "c"
            channel.send("e")
            channel.closeForSend(IllegalStateException("done"))
            channel.trySend("f").isClosed shouldBe true
            runCatching { channel.send("f") }.exceptionOrNull().shouldBeInstanceOf<ClosedSendChannelException>()
            val rest = mutableListOf<String>()
            for (message in channel) rest += message
            rest shouldContainExactly listOf("e")
            channel.receiveCatching().isClosed shouldBe true
            runCatching { channel.receive() }.exceptionOrNull().shouldBeInstanceOf<ClosedReceiveChannelException>()
            channel.receiveAsFlow().toList() shouldBe emptyList()
        }
        val path = paths.next().toString()
        SharedChannel<Long>(path) { capacity = 8 }.use { producer ->
            val consumer = SharedChannel<Long>(path)
            (1L..5L).forEach { producer.send(it) }
            producer.closeForSend()
            consumer.consumeAsFlow().toList() shouldBe listOf(1L, 2L, 3L, 4L, 5L)
            consumer.isClosed shouldBe true
        }
    }

    test("a suspended sender resumes when a receiver makes room; cancelling it sends nothing") {
        SharedChannel<Long>(paths.next().toString()) { capacity = 1 }.use { channel ->
            channel.send(1)
            val sent = async { channel.send(2) }
            delay(50)
            sent.isActive shouldBe true
            channel.receive() shouldBe 1
            withTimeout(10_000) { sent.await() }
            channel.receive() shouldBe 2
            channel.send(3)
            val cancelled = launch { channel.send(4) }
            delay(50)
            cancelled.cancelAndJoin()
            channel.receive() shouldBe 3
            channel.tryReceive().isFailure shouldBe true
        }
    }

    test("cancelling receivers while messages arrive loses nothing: each message is received or still in the channel") {
        SharedChannel<Long>(paths.next().toString()) { capacity = 64 }.use { channel ->
            val received = AtomicInteger()
            repeat(2_000) { round ->
                val receiver = async(start = CoroutineStart.UNDISPATCHED) { channel.receive() }
                launch { channel.send(round.toLong()) }
                if (round % 2 == 0) yield()
                receiver.cancel()
                val result = runCatching { receiver.await() }
                if (result.isSuccess) {
                    result.getOrThrow() shouldBe round.toLong()
                    received.incrementAndGet()
                } else {
                    withTimeout(10_000) { channel.receive() } shouldBe round.toLong()
                }
            }
            channel.tryReceive().isFailure shouldBe true
            println("receivers that got their message before being cancelled: ${received.get()} of 2000")
        }
    }

    test("10,000 suspended receivers: at most 4 extra threads, each send in another JVM resumes exactly one, cancelling the rest loses nothing") {
        val path = paths.next().toString()
        val executor = Executors.newSingleThreadExecutor()
        val dispatcher = executor.asCoroutineDispatcher()
        SharedChannel<Long>(path) { capacity = 16 }.use { channel ->
            ChildJvm.start(SendOnRequest::class, path).use { sender ->
                sender.awaitLine("READY")
                executor.submit { }.get()
                val threads = ManagementFactory.getThreadMXBean()
                val threadsBefore = threads.threadCount
                val reactorBefore = Reactor.shared().threads()
                val got = AtomicInteger()
                runBlocking(dispatcher) {
                    val receivers = (0 until 10_000).map { launch { channel.receive(); got.incrementAndGet() } }
                    while (channel.receivers.pending() < 10_000) delay(10)
                    (threads.threadCount - threadsBefore) shouldBeLessThanOrEqual 4
                    (Reactor.shared().threads() - reactorBefore) shouldBeLessThanOrEqual 4
                    for (i in 1..20) {
                        sender.send("send $i")
                        sender.awaitLine("SENT $i")
                        withTimeout(30_000) { while (got.get() < i) delay(5) }
                        delay(20)
                        got.get() shouldBe i
                    }
                    receivers.forEach { it.cancel() }
                    receivers.forEach { it.join() }
                    channel.receivers.pending() shouldBe 0
                }
                sender.send("send 99")
                sender.awaitLine("SENT 99")
                channel.tryReceive().getOrNull() shouldBe 99L
                got.get() shouldBe 20
            }
        }
        executor.shutdown()
    }
})
