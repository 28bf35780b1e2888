package io.plenum.value

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.plenum.codec.Codecs
import io.plenum.codec.codec
import io.plenum.segment.Backing
import io.plenum.testing.TempPaths
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.async
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import kotlinx.coroutines.withTimeout
import kotlinx.coroutines.withTimeoutOrNull
import kotlinx.coroutines.yield
import kotlinx.serialization.Serializable
import kotlinx.serialization.json.Json

@Serializable
data class Limits(val name: String, val max: Int)

/** The Kotlin layer: the factory DSL, suspending waits, withLock, and the conflated flow. */
class ValueFlowSpec : FunSpec({
    val paths = TempPaths("value-flow")
    afterSpec { paths.close() }

    test("the factory opens a @Serializable value with a JSON codec; a second handle sees it") {
        val path = paths.next("dsl").toString()
        SharedValue<Limits>(path) { codec = Json.codec(); maxSize = 1 shl 16 }.use { value ->
            value.set(Limits("a", 1))
            SharedValue<Limits>(path) { codec = Json.codec() }.use { other ->
                other.get() shouldBe Limits("a", 1)
                other.update { it!!.copy(max = it.max + 1) }
            }
            value.get() shouldBe Limits("a", 2)
        }
    }

    test("awaitChange suspends until a set; cancelled, it withdraws the wait") {
        SharedValue<Long>(Backing.memfd("flow")) { codec = Codecs.LONG }.use { value ->
            val waiter = async(start = CoroutineStart.UNDISPATCHED) { value.awaitChange(0) }
            yield()
            value.set(5L)
            withTimeout(30_000) { waiter.await() } shouldBe 1
            withTimeoutOrNull(20) { value.awaitChange(1) } shouldBe null
            value.awaitChange(0) shouldBe 1
        }
    }

    test("withLock runs the block once under the lock, and releases it on an exception") {
        SharedValue<Long>(Backing.anonymous()) { codec = Codecs.LONG; maxSize = 64 }.use { value ->
            val result = value.withLock { lock ->
                lock.set(1L)
                lock.set(lock.get()!! + 1)
                "done"
            }
            result shouldBe "done"
            runCatching { value.withLock<Long, Unit> { throw IllegalStateException("inside") } }
            value.set(10L) shouldBe 3 // the lock was released
        }
    }

    test("withLock cancelled while it waits never runs its block and leaves the lock free") {
        SharedValue<Long>(Backing.memfd("cancel")) { codec = Codecs.LONG }.use { value ->
            val held = value.lockAsync().get() // owned by the process: closed below from whatever thread resumes
            var ran = false
            val waiting = launch { value.withLock { ran = true } }
            kotlinx.coroutines.delay(50)
            waiting.cancel()
            waiting.join()
            held.close()
            ran shouldBe false
            withTimeout(30_000) { value.withLock { it.set(1L) } } shouldBe 1
            value.set(2L) shouldBe 2 // nobody holds the lock
        }
    }

    test("the flow starts with the current value, then follows each change; it completes on close") {
        val value = SharedValue<String>(paths.next("flow").toString()) { codec = Codecs.STRING }
        value.set("zero")
        value.asFlow().first() shouldBe "zero"
        val received = Channel<String>(Channel.UNLIMITED)
        val collector = launch { value.asFlow().collect { received.send(it) } }
        withTimeout(30_000) {
            received.receive() shouldBe "zero"
            value.set("one")
            received.receive() shouldBe "one"
            value.set("two")
            value.set("three") // conflated: a collector may skip "two", never "three"
            var last = received.receive()
            if (last == "two") last = received.receive()
            last shouldBe "three"
        }
        value.close()
        withTimeout(30_000) { collector.join() }
        received.tryReceive().getOrNull() shouldBe null

        val empty = SharedValue<String>(paths.next("empty").toString()) { codec = Codecs.STRING }
        val collected = async(start = CoroutineStart.UNDISPATCHED) { empty.asFlow().toList() }
        empty.close()
        withTimeout(30_000) { collected.await() } shouldBe emptyList()
    }
})
