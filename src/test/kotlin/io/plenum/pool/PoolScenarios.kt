package io.plenum.pool

import io.plenum.segment.OpenMode
import io.plenum.testing.Scenario
import java.lang.foreign.ValueLayout
import java.time.Duration
import java.util.concurrent.ThreadLocalRandom
import java.util.concurrent.atomic.AtomicBoolean
import kotlin.concurrent.thread
import kotlin.time.Duration.Companion.milliseconds

/** Opens the long pool at [path] that the parent created. */
internal fun openLongPool(path: String): SharedLongPool = SharedLongPool(path) { mode = OpenMode.OPEN_EXISTING }

/** A slot's owner word: its whole state (test-only view of [PoolLayout]). */
internal fun SlotPool.ownerWord(slot: Int): Int =
    segment.memory().get(ValueLayout.JAVA_INT, PoolLayout.OWNERS_OFFSET + 4L * slot)

/** Writes a slot's owner word, as a process killed at some instruction would leave it. */
internal fun SlotPool.writeOwnerWord(slot: Int, word: Int) {
    segment.memory().set(ValueLayout.JAVA_INT, PoolLayout.OWNERS_OFFSET + 4L * slot, word)
}

/** The pool's count of waiters for several slots (see [PoolLayout]). */
internal fun SlotPool.multiWaiters(): Int = segment.memory().get(ValueLayout.JAVA_INT, PoolLayout.MULTI_WAITERS_OFFSET)

/** This process's own record of multi-slot waiters (see [MultiWaiters]). */
internal fun SlotPool.ownMultiWaiters(): Int = segment.memory().get(
    ValueLayout.JAVA_INT,
    PoolLayout.MULTI_RECORDS_OFFSET + 8L * io.plenum.sync.OwnerTable.indexOf(claims.self()),
)

/** Slots left claimed (BUSY with a token) when nothing is in flight: there must be none. */
internal fun SlotPool.inconsistentSlots(): List<String> = (0 until capacity()).mapNotNull { slot ->
    val word = ownerWord(slot)
    if (word and SlotAllocator.BUSY != 0 && word != SlotAllocator.RECOVERED) "slot $slot: owner word 0x${word.toString(16)} is still claimed" else null
}

/** Allocates `args[1]` slots, prints `HELD s1 s2 …`, then waits to be killed (or told to exit). */
object HoldSlots : Scenario {
    override fun run(args: List<String>) {
        openLongPool(args[0]).use { pool ->
            val slots = (0 until args[1].toInt()).map { pool.allocAndSetBlocking(ProcessHandle.current().pid()) }
            println("HELD ${slots.joinToString(" ")}")
            readln()
        }
    }
}

/** Blocks in alloc on a (full) pool, prints `WAITING`, then `GOT slot millis` once alloc returns. */
object BlockedAlloc : Scenario {
    override fun run(args: List<String>) {
        openLongPool(args[0]).use { pool ->
            println("WAITING")
            val start = System.nanoTime()
            val slot = pool.allocBlocking()
            println("GOT $slot ${(System.nanoTime() - start) / 1_000_000}")
        }
    }
}

/** Allocates one slot, writes this process's pid into it, prints `GAVE slot ticket` (a [SlotTicket] as a long), waits. */
object GiveSlot : Scenario {
    override fun run(args: List<String>) {
        openLongPool(args[0]).use { pool ->
            val slot = pool.allocAndSetBlocking(ProcessHandle.current().pid())
            println("GAVE $slot ${pool.ticket(slot)!!.toLong()}")
            readln()
        }
    }
}

/**
 * A receiver of slots, on stdin commands: `free N` frees slot N (`FREED N true|false`), `adopt T`
 * adopts the ticket T (`ADOPTED T true|false`), `freeTicket T` frees by ticket
 * (`FREED_TICKET T true|false`), `exit`.
 */
object FreeOnRequest : Scenario {
    override fun run(args: List<String>) {
        openLongPool(args[0]).use { pool ->
            println("READY")
            while (true) {
                val line = readlnOrNull() ?: break
                if (line == "exit") break
                val (command, argument) = line.split(" ")
                when (command) {
                    "free" -> println("FREED $argument ${pool.free(argument.toInt())}")
                    "adopt" -> println("ADOPTED $argument ${pool.adopt(SlotTicket.fromLong(argument.toLong()))}")
                    "freeTicket" -> println("FREED_TICKET $argument ${pool.free(SlotTicket.fromLong(argument.toLong()))}")
                    else -> error("unknown command: $line")
                }
            }
        }
    }
}

/**
 * `args`: path, worker id, iterations. Each iteration: alloc, write a value unique to this worker
 * and iteration, re-read it a few times while holding the slot, free. A slot handed to two holders
 * at once shows up as a value that changed under its holder. Starts on `go`; prints `DONE n`.
 */
object AllocSetGetFree : Scenario {
    override fun run(args: List<String>) {
        val worker = args[1].toLong()
        val iterations = args[2].toInt()
        openLongPool(args[0]).use { pool ->
            println("READY")
            check(readln() == "go")
            for (i in 0 until iterations) {
                val value = (worker shl 40) or i.toLong()
                val slot = pool.allocBlocking()
                pool[slot] = value
                repeat(3) {
                    Thread.onSpinWait()
                    check(pool[slot] == value) { "slot $slot changed under its holder: ${pool[slot]} != $value" }
                }
                check(pool.free(slot)) { "slot $slot was not allocated when its holder freed it" }
            }
            println("DONE $iterations")
        }
    }
}

/**
 * The chaos worker: loops alloc (1 to 3 slots, single or batch), writes its pid into them, holds
 * them a moment, checks they still hold its pid, frees them. On `stop` it finishes the current
 * round, allocates `args[1]` slots to hold, prints `HOLDING s…` and waits for `exit`.
 */
object ChaosWorker : Scenario {
    override fun run(args: List<String>) {
        val pid = ProcessHandle.current().pid()
        openLongPool(args[0]).use { pool ->
            val stop = AtomicBoolean()
            val control = thread(isDaemon = true) {
                while (readlnOrNull()?.let { it != "stop" } == true) Unit
                stop.set(true)
            }
            println("READY")
            val random = ThreadLocalRandom.current()
            var rounds = 0L
            while (!stop.get()) {
                val count = random.nextInt(1, 4)
                val slots = if (count == 1) {
                    pool.allocBlocking(100.milliseconds)?.let { intArrayOf(it) }
                } else {
                    pool.allocNBlocking(count, 100.milliseconds)
                } ?: continue
                for (slot in slots) pool[slot] = pid
                val spins = random.nextInt(200)
                repeat(spins) { Thread.onSpinWait() }
                for (slot in slots) check(pool[slot] == pid) { "slot $slot held by $pid now holds ${pool[slot]}" }
                if (slots.size == 1) check(pool.free(slots[0])) else check(pool.freeN(*slots) == slots.size)
                rounds++
            }
            val keep = (0 until args[1].toInt()).map { pool.allocAndSetBlocking(pid) }
            println("HOLDING ${rounds} ${keep.joinToString(" ")}")
            control.join()
            readln()
        }
    }
}

/**
 * Polls `stats()` of the pool at `args[0]` until `stop` arrives on stdin, checking that the
 * cumulative counters never decrease; prints `POLLED n` or the first `DECREASED …` it saw.
 */
object StatsPoller : Scenario {
    override fun run(args: List<String>) {
        openLongPool(args[0]).use { pool ->
            val stop = AtomicBoolean()
            val control = thread(isDaemon = true) {
                while (readlnOrNull()?.let { it != "stop" } == true) Unit
                stop.set(true)
            }
            println("READY")
            println(pollMonotonic(pool, stop))
            control.join()
        }
    }
}

/** Reads `stats()` until [stop]: `POLLED n`, or `DECREASED …` naming the first counter that went back. */
internal fun pollMonotonic(pool: SlotPool, stop: AtomicBoolean): String {
    var last = pool.stats()
    var polls = 0L
    while (!stop.get()) {
        val now = pool.stats()
        polls++
        if (now.allocs < last.allocs) return "DECREASED allocs ${last.allocs} then ${now.allocs} (poll $polls)"
        if (now.frees < last.frees) return "DECREASED frees ${last.frees} then ${now.frees} (poll $polls)"
        if (now.allocs < now.frees) return "INCONSISTENT allocs ${now.allocs} < frees ${now.frees} (poll $polls)"
        last = now
    }
    return "POLLED $polls"
}

/**
 * Waits for `args[1]` slots on a (full) pool: blocked in `allocN` (`args[2]` = "blocking") or with
 * a pending `allocNAsync` ("async"); prints `WAITING` once it is counted, then waits to be killed.
 */
object WaitForSlots : Scenario {
    override fun run(args: List<String>) {
        openLongPool(args[0]).use { pool ->
            val count = args[1].toInt()
            if (args[2] == "async") {
                val request = pool.allocNAsync(count)
                check(!request.isDone) { "the pool was not full" }
                println("WAITING")
                request.get()
            } else {
                thread(isDaemon = true) { pool.allocNBlocking(count) }
                while (pool.ownMultiWaiters() == 0) Thread.sleep(1)
                println("WAITING")
                readln()
            }
        }
    }
}

/**
 * Waits for one slot of the full pool at `args[0]`, blocking in a thread (`args[1]` = "blocking")
 * or through the reactor ("async"); prints `WAITING` once counted in the pool's `waiters`, then
 * `GOT slot` when the slot comes (and frees it), then waits for a line.
 */
object WaitForOneSlot : Scenario {
    override fun run(args: List<String>) {
        openLongPool(args[0]).use { pool ->
            val got = if (args[1] == "async") {
                pool.allocAsync()
            } else {
                java.util.concurrent.CompletableFuture.supplyAsync { pool.allocBlocking() }
            }
            while (pool.stats().waiters() == 0 && !got.isDone) Thread.sleep(1)
            check(!got.isDone) { "the pool was not full" }
            println("WAITING")
            val slot = got.get()
            println("GOT $slot")
            pool.free(slot)
            readln()
        }
    }
}
