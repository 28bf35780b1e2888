package io.plenum.array

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.longs.shouldBeGreaterThanOrEqual
import io.kotest.matchers.shouldBe
import io.plenum.segment.Backing
import io.plenum.testing.ChildJvm
import io.plenum.testing.TempPaths
import io.plenum.testing.useAll
import java.nio.file.Files
import kotlin.time.Duration.Companion.seconds

/** Arrays shared by real JVMs: exact atomics, no torn values, locks recovered from killed holders. */
class ArrayCrossProcessSpec : FunSpec({
    val paths = TempPaths("array-xp")
    afterSpec { paths.close() }

    test("4 JVMs add 1 to every element 250,000 times, for every integer width: exact totals, correct wrap") {
        val directory = Files.createDirectory(paths.next("increments"))
        val rounds = 250_000
        fun options(name: String) = ArrayOptions.of(Backing.file(directory.resolve(name))).withCapacity(INCREMENT_ELEMENTS)
        IntegerCase.all.forEach { it.open(options(it.type.name)).close() }
        SharedFloatArray.open(options("F32")).close()
        SharedDoubleArray.open(options("F64")).close()

        ChildJvm.startAll(4, IncrementEverything::class) { listOf(directory, rounds) }.useAll { children ->
            children.forEach { it.awaitLine("ready") }
            children.forEach { it.send("go") }
            children.forEach { it.awaitSuccess(240.seconds) }
        }

        val total = 4L * rounds
        for (case in IntegerCase.all) {
            case.open(options(case.type.name)).use { array ->
                val expected = case.wrap(total) // 1,000,000 mod 2^8 = 64, mod 2^16 = 16960
                (0 until INCREMENT_ELEMENTS).map { case.of(array)[it] } shouldBe List(INCREMENT_ELEMENTS) { expected }
            }
        }
        SharedFloatArray.open(options("F32")).use { it.slice(0, INCREMENT_ELEMENTS).toList() shouldBe List(INCREMENT_ELEMENTS) { total.toFloat() } }
        SharedDoubleArray.open(options("F64")).use { it.slice(0, INCREMENT_ELEMENTS).toList() shouldBe List(INCREMENT_ELEMENTS) { total.toDouble() } }
    }

    test("readers never see a torn F64, a torn string, or a mix of two bulk writes from writers in other JVMs") {
        val doubles = SharedDoubleArray(paths.next("f64").toString()) { capacity = 64 }
        val strings = SharedStringArray(paths.next("strings").toString()) { capacity = 4; maxLength = 40 }
        val numbers = SharedLongArray(paths.next("numbers").toString()) { capacity = 512 }
        doubles.use { numbers.use { strings.use {
            val children = ChildJvm.startAll(2, TornValueWriter::class) {
                listOf(doubles.path().get(), strings.path().get(), numbers.path().get(), 120)
            }
            children.useAll {
                children.forEach { it.awaitLine("ready") }
                children.forEach { it.send("go") }
                var reads = 0L
                repeat(200) {
                    repeat(5_000) { i ->
                        val bits = java.lang.Double.doubleToRawLongBits(doubles.get(i and 63))
                        (bits ushr 32) shouldBe (bits and 0xFFFFFFFFL)
                        reads++
                    }
                    doubles.slice(0, 64).forEach {
                        val bits = java.lang.Double.doubleToRawLongBits(it)
                        (bits ushr 32) shouldBe (bits and 0xFFFFFFFFL)
                    }
                    strings.slice(0, 4).forEach(ArrayLockingSpec::checkSample)
                    ArrayLockingSpec.checkSample(strings.get(it % 4))
                    val slice = numbers.slice(0, 512)
                    slice.all { value -> value == slice[0] } shouldBe true
                }
                children.forEach { it.send("stop") }
                children.forEach { it.awaitSuccess(60.seconds) }
                reads shouldBe 1_000_000L
            }
            (0 until 64).any { doubles.get(it) != 0.0 } shouldBe true // the writers did write
        } } }
    }

    test("eventfd: another JVM attaches the array's eventfd by (pid, fd) and notifies after a bulk write") {
        SharedLongArray(paths.next("events").toString()) { capacity = 16 }.use { array ->
            val notifier = array.eventfd()
            array.eventfd() shouldBe notifier
            array.consumeEventfd() shouldBe 0
            ChildJvm.start(FillAndNotify::class, array.path().get(), ProcessHandle.current().pid(), notifier.fd()).use { child ->
                child.awaitLine("ready")
                child.send("go")
                notifier.await(java.time.Duration.ofSeconds(60)) shouldBe 1
                array.slice(0, 16).all { it == 7L } shouldBe true
                child.awaitSuccess()
            }
            array.signalEventfd() shouldBe true
            array.signalEventfd() shouldBe true
            array.consumeEventfd() shouldBe 2
        }
    }

    for (mode in listOf("idle", "half")) {
        test("a JVM killed holding the write lock ($mode) is recovered: bulk reads and writes go on, recoveries counted") {
            val path = paths.next("killed-$mode")
            SharedLongArray(path.toString()) { capacity = 64 }.use { array ->
                array.fill(1)
                ChildJvm.start(DieHoldingWriteLock::class, path, mode).use { child ->
                    child.awaitLine("locked")
                    child.kill9()
                }
                val slice = array.slice(0, 64) // a torn write is repaired by the reader
                if (mode == "half") slice.toList() shouldBe List(32) { 99L } + List(32) { 1L } else slice.all { it == 1L } shouldBe true
                array.fill(2)
                array.slice(0, 64).all { it == 2L } shouldBe true
                array.stats().lockRecoveries() shouldBeGreaterThanOrEqual 1
                array.writeLock().use { it.recovered() shouldBe false }
            }
        }
    }
})
