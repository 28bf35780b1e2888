package io.plenum.sync

import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.plenum.linux.Processes
import io.plenum.segment.Backing
import io.plenum.segment.OpenMode
import io.plenum.segment.Segment
import io.plenum.testing.ChildJvm
import io.plenum.testing.Scenario
import io.plenum.testing.TempPaths
import io.plenum.testing.useAll
import java.lang.foreign.ValueLayout
import java.nio.file.Path
import java.util.concurrent.CyclicBarrier
import java.util.concurrent.TimeUnit
import kotlin.concurrent.thread
import kotlin.time.Duration.Companion.seconds

/** The pids of the registered entries of a standalone lock segment's owner table (one per entry). */
internal fun registeredPids(segment: Segment, kind: LockSegmentKind): List<Int> {
    val entries = segment.header().capacity().toInt()
    val table = segment.header().bodyOffset() + kind.lockArea(entries)
    return (0 until entries).map { i ->
        segment.memory().get(ValueLayout.JAVA_INT, table + OwnerTable.HEADER_SIZE + OwnerTable.ENTRY_SIZE * i + OwnerTable.PID_OFFSET)
    }.filter { it != 0 }
}

/**
 * Opens [handles] handles on one mutex segment, one per thread, and has them all register at once
 * (behind a barrier); returns the distinct tokens they got. The handles are closed afterwards.
 */
internal fun registerConcurrently(path: Path, handles: Int): Set<Int> {
    val barrier = CyclicBarrier(handles)
    val tokens = java.util.concurrent.ConcurrentHashMap.newKeySet<Int>()
    val failures = java.util.concurrent.ConcurrentLinkedQueue<Throwable>()
    val threads = (0 until handles).map {
        thread(name = "register-$it") {
            try {
                SharedMutex(Backing.file(path)) { mode = OpenMode.OPEN_EXISTING }.use { mutex ->
                    val owners = SharedMutex.KIND.owners(mutex.segment()!!)
                    barrier.await(30, TimeUnit.SECONDS)
                    tokens.add(owners.currentOwner())
                }
            } catch (t: Throwable) {
                failures.add(t)
            }
        }
    }
    threads.forEach { it.join(60_000) }
    failures.peek()?.let { throw it }
    return tokens
}

/** args: mutexPath, handles, rounds. Registers [handles] handles at once per round; prints each round's tokens. */
object RegisterManyHandles : Scenario {
    override fun run(args: List<String>) {
        val path = Path.of(args[0])
        val handles = args[1].toInt()
        val rounds = args[2].toInt()
        println("READY")
        repeat(rounds) {
            println("TOKENS " + registerConcurrently(path, handles).sorted().joinToString(","))
        }
        println("DONE")
    }
}

class OwnerRegistrationSpec : FunSpec({
    val paths = TempPaths("registration")
    afterSpec { paths.close() }

    test("16 handles of one JVM registering at once on one segment take one entry and get one token, in every round") {
        repeat(30) { round ->
            SharedMutex(Backing.file(paths.next("mutex"))) { mode = OpenMode.CREATE_NEW }.use { mutex ->
                val path = mutex.segment()!!.path().get()
                val tokens = registerConcurrently(path, 16)
                withClue("round $round") {
                    tokens.size shouldBe 1
                    registeredPids(mutex.segment()!!, SharedMutex.KIND) shouldBe listOf(Processes.currentPid())
                }
            }
        }
    }

    test("8 table handles over one mapping registering at once take one entry, in each of 500 fresh tables") {
        java.lang.foreign.Arena.ofShared().use { arena ->
            repeat(500) { round ->
                val memory = arena.allocate(OwnerTable.bytesFor(8), 64)
                OwnerTable.initialize(memory, 0, 8)
                val barrier = CyclicBarrier(8)
                val tokens = java.util.concurrent.ConcurrentHashMap.newKeySet<Int>()
                val threads = (0 until 8).map {
                    val handle = OwnerTable(memory, 0, 8, "table $round")
                    thread {
                        barrier.await(30, TimeUnit.SECONDS)
                        tokens.add(try { handle.currentOwner() } catch (t: Throwable) { -1 })
                    }
                }
                threads.forEach { it.join(60_000) }
                withClue("round $round") { tokens.size shouldBe 1 }
            }
        }
    }

    test("a handle closed while another lives does not end this process's registration; a new handle gets the same token") {
        SharedMutex(Backing.file(paths.next("mutex"))) { mode = OpenMode.CREATE_NEW }.use { first ->
            val path = first.segment()!!.path().get()
            val token = SharedMutex.KIND.owners(first.segment()!!).currentOwner()
            SharedMutex(Backing.file(path)) { mode = OpenMode.OPEN_EXISTING }.use { second ->
                SharedMutex.KIND.owners(second.segment()!!).currentOwner() shouldBe token
            }
            SharedMutex(Backing.file(path)) { mode = OpenMode.OPEN_EXISTING }.use { third ->
                SharedMutex.KIND.owners(third.segment()!!).currentOwner() shouldBe token
                third.lockBlocking()
                first.isHeldByThisProcess() shouldBe true
                third.unlock()
            }
            registeredPids(first.segment()!!, SharedMutex.KIND) shouldBe listOf(Processes.currentPid())
        }
    }

    test("3 JVMs x 8 handles registering at once, 10 rounds: one entry per pid, and each JVM always gets one token") {
        SharedMutex(Backing.file(paths.next("mutex"))) { mode = OpenMode.CREATE_NEW }.use { mutex ->
            val path = mutex.segment()!!.path().get()
            ChildJvm.startAll(3, RegisterManyHandles::class) { listOf(path, 8, 10) }.useAll { children ->
                children.forEach { it.awaitLine("READY") }
                for (child in children) {
                    val lines = (0 until 10).map { child.awaitLine(60.seconds) { it.startsWith("TOKENS ") } }
                    lines.distinct().size shouldBe 1
                    lines.first().removePrefix("TOKENS ").split(",").size shouldBe 1
                    child.awaitLine("DONE", 60.seconds)
                    child.awaitSuccess()
                }
                registeredPids(mutex.segment()!!, SharedMutex.KIND).sorted() shouldBe children.map { it.pid.toInt() }.sorted()
            }
        }
    }
})
