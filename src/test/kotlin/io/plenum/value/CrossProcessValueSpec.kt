package io.plenum.value

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.ints.shouldBeGreaterThan
import io.kotest.matchers.ints.shouldBeLessThanOrEqual
import io.kotest.matchers.longs.shouldBeGreaterThan
import io.kotest.matchers.shouldBe
import io.plenum.codec.Codecs
import io.plenum.testing.ChildJvm
import io.plenum.testing.TempPaths
import io.plenum.testing.mappedWaiters
import io.plenum.testing.useAll
import java.nio.file.Path
import kotlin.random.Random
import kotlin.time.Duration.Companion.minutes
import kotlin.time.Duration.Companion.seconds

/** Real child JVMs: readers that never see a torn value, a writer killed mid-write, growth, and mass wake-ups. */
class CrossProcessValueSpec : FunSpec({
    val paths = TempPaths("value-xproc")
    afterSpec { paths.close() }

    fun readersThenWriter(path: String, readers: Int, count: Int, min: Int, max: Int, pattern: String) {
        ChildJvm.startAll(readers, ReadValues::class) { listOf(path, count) }.useAll { children ->
            children.forEach { it.awaitLine("READING", 1.minutes) }
            ChildJvm.start(PublishValues::class, path, count, min, max, pattern).use { writer ->
                writer.awaitLine(3.minutes) { it.startsWith("PUBLISHED $count") }
                writer.awaitSuccess(1.minutes)
            }
            for (reader in children) {
                val line = reader.awaitLine(3.minutes) { it.startsWith("READ ") }
                // Every reader saw the last version, and more than one (it read while the writer wrote).
                line.split(" ")[3].toInt() shouldBeGreaterThan 1
                reader.awaitSuccess(1.minutes)
            }
        }
    }

    test("3 reader JVMs read continuously while a writer JVM publishes 1 KiB..1 MiB values: never torn, versions increasing") {
        val path = paths.next("torn").toString()
        SharedValue.open(Codecs.BYTES, ValueOptions.of(path).withMaxSize(2 shl 20)).use { value ->
            readersThenWriter(path, 3, 300, 1 shl 10, 1 shl 20, "random")
            Checked.verify(value.get()!!) shouldBe 300
            value.version() shouldBe 300
        }
    }

    test("growth from 100 B to 10 MiB while 2 reader JVMs read") {
        val path = paths.next("grow").toString()
        SharedValue.open(Codecs.BYTES, ValueOptions.of(path).withInitialSize(100).withMaxSize(16 shl 20)).use { value ->
            readersThenWriter(path, 2, 60, 100, 10 shl 20, "grow")
            val last = value.get()!!
            last.size shouldBe (10 shl 20)
            Checked.verify(last) shouldBe 60
            value.stats().grows shouldBeGreaterThan 4
        }
    }

    test("a writer killed mid-write: readers keep the last complete value; the next writer recovers the lock") {
        val path = paths.next("killed").toString()
        val size = 256 shl 10
        SharedValue.open(Codecs.BYTES, ValueOptions.of(path).withMaxSize(1 shl 20)).use { value ->
            ChildJvm.start(StallMidWrite::class, path, size).use { writer ->
                writer.awaitLine("MIDWRITE", 1.minutes)
                // The writer holds the lock, half-way through the second value: reads go on.
                Checked.verify(value.get()!!) shouldBe 1
                value.stats().lockRecoveries shouldBe 0
                writer.kill9()
                writer.awaitExit(30.seconds)
            }
            repeat(100) { Checked.verify(value.get()!!) shouldBe 1 }
            value.version() shouldBe 1
            value.lockBlocking().use { batch ->
                batch.recovered() shouldBe true
                batch.set(Checked.make(2, size, Random(3))) shouldBe 2
            }
            Checked.verify(value.get()!!) shouldBe 2
            value.stats().lockRecoveries shouldBe 1
            value.set(Checked.make(3, 100, Random(4))) shouldBe 3
        }
    }

    test("1,000 suspended waiters in 2 JVMs on at most 4 reactor threads each, all woken by one set in a third") {
        val path = paths.next("waiters").toString()
        SharedValue.open(Codecs.LONG, ValueOptions.of(path)).use { value ->
            ChildJvm.startAll(2, SuspendedWaiters::class) { listOf(path, 500) }.useAll { children ->
                children.forEach { it.awaitLine(1.minutes) { line -> line.startsWith("WAITING") } }
                value.set(1L) shouldBe 1
                for (child in children) {
                    val line = child.awaitLine(1.minutes) { it.startsWith("WOKEN") }.split(" ")
                    line[1].toInt() shouldBe 500
                    line[3].toInt() shouldBeLessThanOrEqual 4
                    child.awaitSuccess(1.minutes)
                }
            }
            value.version() shouldBeGreaterThan 0L
        }
    }

    test("a waiter JVM killed asleep stops costing writes a wake: its count is restarted away while waiters in 2 JVMs see every one of 2,000 alternating sets") {
        val path = paths.next("dead-waiter").toString()
        val rounds = 2_000
        SharedValue.open(Codecs.LONG, ValueOptions.of(path)).use { value ->
            value.set(0L)
            ChildJvm.start(EndlessValueWaiter::class, path).use { dead ->
                dead.awaitLine("WAITING")
                val counted = System.nanoTime() + 30_000_000_000L
                while (changeWaiters(path) == 0 && System.nanoTime() < counted) Thread.sleep(10)
                Thread.sleep(200) // let it reach the futex sleep
                dead.kill9()
            }
            changeWaiters(path) shouldBe 1
            ChildJvm.startAll(2, ValuePingPong::class) { listOf(path, it, rounds) }.useAll { sides ->
                sides.forEach { it.awaitLine(5.minutes) { line -> line == "ROUNDS $rounds" } }
                sides.forEach { it.awaitSuccess() }
            }
            value.get() shouldBe 2L * rounds
            // Without the restart, the dead waiter's count stays 1 and every set makes a futex wake.
            changeWaiters(path) shouldBe 0
        }
    }
})

/** The waiters counted on the value's change word, read through a mapping of its own. */
private fun changeWaiters(path: String): Int = mappedWaiters(Path.of(path), ValueLayout.CHANGE_OFFSET)
