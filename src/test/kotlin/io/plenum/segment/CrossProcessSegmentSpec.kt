package io.plenum.segment

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.plenum.linux.Futex
import io.plenum.testing.ChildJvm
import io.plenum.testing.Scenario
import io.plenum.testing.TempPaths
import io.plenum.testing.TestCounters
import io.plenum.testing.addCounter
import io.plenum.testing.counter
import io.plenum.testing.useAll
import java.lang.foreign.ValueLayout
import java.nio.file.Files
import java.nio.file.Path
import kotlin.time.Duration.Companion.minutes
import kotlin.time.Duration.Companion.seconds

/**
 * Control segment of [RaceToCreate]: counter 0 is the round the parent has opened (its low 32 bits
 * are a futex word), counter 1 counts children done.
 */
private const val ROUND = 0
private const val DONE = 1

/** Each round: wait for the parent's go, open-or-create `round-N`, add 1 to its counter 0. */
object RaceToCreate : Scenario {
    override fun run(args: List<String>) {
        val directory = Path.of(args[0])
        val rounds = args[1].toInt()
        TestCounters.open(Backing.file(directory.resolve("control")), OpenMode.OPEN_EXISTING).use { control ->
            val memory = control.memory()
            val roundWord = control.header().bodyOffset() + ROUND * 8L
            println("READY")
            for (round in 1..rounds) {
                while (true) {
                    val seen = control.counter(ROUND)
                    if (seen >= round) break
                    Futex.await(memory, roundWord, seen.toInt(), 50_000_000)
                }
                TestCounters.open(Backing.file(directory.resolve("round-$round"))).use { it.addCounter(0, 1) }
                control.addCounter(DONE, 1)
            }
        }
    }
}

/** Creates a memfd segment, prints `FD pid fd`, then waits for the parent's 42 and answers 43. */
object MemfdOwner : Scenario {
    override fun run(args: List<String>) {
        TestCounters.open(Backing.memfd("plenum-shared")).use { segment ->
            println("FD ${ProcessHandle.current().pid()} ${segment.fd()}")
            while (segment.counter(0) != 42L) Thread.onSpinWait()
            segment.addCounter(1, 43)
            readln()
        }
    }
}

/** Sleeps on the futex word at body offset 0 of the segment until it is non-zero; prints why it woke. */
object FutexSleeper : Scenario {
    override fun run(args: List<String>) {
        TestCounters.open(Backing.file(args[0]), OpenMode.OPEN_EXISTING).use { segment ->
            val memory = segment.memory()
            val word = segment.header().bodyOffset()
            println("WAITING")
            var result = Futex.WaitResult.VALUE_CHANGED
            while (memory.get(ValueLayout.JAVA_INT, word) == 0) {
                result = Futex.await(memory, word, 0, 30_000_000_000)
            }
            println("WOKE $result")
        }
    }
}

class CrossProcessSegmentSpec : FunSpec({
    val paths = TempPaths("xproc")
    afterSpec { paths.close() }

    test("8 JVMs race to open-or-create the same new path, 200 rounds: the counter is exactly 8 every round") {
        val directory = paths.next("race")
        Files.createDirectory(directory)
        val children = 8
        val rounds = 200
        TestCounters.open(Backing.file(directory.resolve("control")), OpenMode.CREATE_NEW).use { control ->
            ChildJvm.startAll(children, RaceToCreate::class) { listOf(directory, rounds) }.useAll { jvms ->
                jvms.forEach { it.awaitLine("READY", 60.seconds) }
                val wrong = mutableListOf<String>()
                for (round in 1..rounds) {
                    control.addCounter(ROUND, 1)
                    Futex.wakeAll(control.memory(), control.header().bodyOffset())
                    val deadline = System.nanoTime() + 60_000_000_000
                    while (control.counter(DONE) < children.toLong() * round) {
                        check(System.nanoTime() < deadline) { "round $round did not finish:\n${jvms.joinToString("\n") { it.output }}" }
                        Thread.sleep(1)
                    }
                    val path = directory.resolve("round-$round")
                    TestCounters.open(Backing.file(path), OpenMode.OPEN_EXISTING).use { segment ->
                        if (segment.counter(0) != children.toLong()) wrong += "round $round: ${segment.counter(0)}"
                    }
                    Files.delete(path)
                }
                jvms.forEach { it.awaitSuccess(1.minutes) }
                wrong shouldBe emptyList()
            }
            Files.list(directory).use { it.map { p -> p.fileName.toString() }.toList() } shouldBe listOf("control")
        }
    }

    test("a memfd segment created in one JVM is opened in another by (pid, fd); writes are seen both ways") {
        ChildJvm.start(MemfdOwner::class).use { child ->
            val (pid, fd) = child.awaitLine { it.startsWith("FD ") }.split(" ").drop(1).map(String::toLong)
            Segment.open(Backing.fromProcess(pid, fd.toInt()), OpenMode.OPEN_EXISTING, TestCounters.anySpec()).use { segment ->
                segment.created() shouldBe false
                segment.addCounter(0, 42)
                val deadline = System.nanoTime() + 30_000_000_000
                while (segment.counter(1) != 43L && System.nanoTime() < deadline) Thread.sleep(1)
                segment.counter(1) shouldBe 43
            }
            child.send("done")
            child.awaitSuccess()
        }
    }

    test("a futex wait in one JVM is woken by a wake in another") {
        val path = paths.next()
        TestCounters.open(Backing.file(path)).use { segment ->
            ChildJvm.start(FutexSleeper::class, path).use { child ->
                child.awaitLine("WAITING")
                Thread.sleep(200)
                segment.memory().set(ValueLayout.JAVA_INT, segment.header().bodyOffset(), 1)
                Futex.wakeAll(segment.memory(), segment.header().bodyOffset())
                child.awaitLine { it.startsWith("WOKE") } shouldBe "WOKE WOKEN"
                child.awaitSuccess()
            }
        }
    }
})
