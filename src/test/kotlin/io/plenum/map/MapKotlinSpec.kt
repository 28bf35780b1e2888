package io.plenum.map

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.plenum.segment.Backing
import io.plenum.testing.TempPaths
import kotlinx.coroutines.async
import kotlinx.coroutines.launch
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.withTimeout
import kotlinx.coroutines.withTimeoutOrNull
import kotlinx.coroutines.yield
import kotlinx.coroutines.delay

class MapKotlinSpec : FunSpec({
    val paths = TempPaths("map-kotlin")
    afterSpec { paths.close() }

    test("factory with reified codecs, operators, in") {
        SharedMap<String, String>(paths.next().toString()) { maxValueSize = 64 }.use { map ->
            map["a"] = "1"
            ("a" in map) shouldBe true
            ("b" in map) shouldBe false
            map["a"] shouldBe "1"
            shouldThrow<IllegalArgumentException> { map["a"] = "x".repeat(65) }
        }
        SharedMap<Long, Long>(Backing.memfd("kotlin-longs")).use { map ->
            map[1L] = 2L
            map.getLong(1) shouldBe 2L
        }
        SharedMap<ByteArray, ByteArray>(Backing.anonymous()).use { map ->
            map[byteArrayOf(1, 2)] = byteArrayOf(3)
            map[byteArrayOf(1, 2)]!!.toList() shouldBe listOf<Byte>(3)
        }
        shouldThrow<IllegalArgumentException> { SharedMap<String, StringBuilder>(Backing.anonymous()) }
    }

    test("awaitChange suspends until another writer changes the key; changes() is a Flow of its values") {
        SharedMap<String, Long>(Backing.memfd("kotlin-waits")).use { map ->
            withTimeoutOrNull(50) { map.awaitChange("k", null) } shouldBe null
            val waiter = async { map.awaitChange("k", null) }
            delay(20)
            map["k"] = 1L
            withTimeout(10_000) { waiter.await() } shouldBe 1L
            val values = Channel<Long?>(Channel.UNLIMITED)
            val collector = launch { map.changes("k").collect { values.send(it) } }
            withTimeout(10_000) { values.receive() } shouldBe 1L
            map["k"] = 2L
            withTimeout(10_000) { values.receive() } shouldBe 2L
            map.remove("k")
            withTimeout(10_000) { values.receive() } shouldBe null
            collector.cancel()
            val flow = map.changes("k")
            withTimeout(10_000) { flow.first() } shouldBe null
        }
    }

    test("a flow completes when its handle closes") {
        val map = SharedMap<String, String>(Backing.memfd("kotlin-close"))
        val values = Channel<String?>(Channel.UNLIMITED)
        val collected = async { map.changes("k").collect { values.send(it) }; values.close() }
        withTimeout(10_000) { values.receive() } shouldBe null
        map.close()
        withTimeout(10_000) { collected.await() }
        values.receiveCatching().isClosed shouldBe true
    }
})
