package io.plenum.pool

import io.plenum.segment.OpenMode
import io.plenum.testing.Scenario
import java.lang.foreign.ValueLayout
import java.time.Duration
import java.util.concurrent.ThreadLocalRandom
import java.util.concurrent.atomic.AtomicBoolean
import kotlin.concurrent.thread

/** Opens the long pool at [path] that the parent created. */
internal fun openLongPool(path: String): SharedLongPool = SharedLongPool.open(path) { mode = OpenMode.OPEN_EXISTING }

/** The state of one slot as raw words: the owner word and the bitmap bit (test-only view of [PoolLayout]). */
internal data class RawSlot(val owner: Int, val bit: Boolean)

internal fun SlotPool.raw(slot: Int): RawSlot {
    val owner = segment.memory().get(ValueLayout.JAVA_INT, PoolLayout.ownersOffset(capacity.toLong()) + 4L * slot)
    val word = segment.memory().get(ValueLayout.JAVA_LONG, PoolLayout.BITMAP_OFFSET + 8L * (slot ushr 6))
    return RawSlot(owner, (word ushr (slot and 63)) and 1L == 1L)
}

/** Writes a slot's raw state, as a process killed half-way through a change would leave it. */
internal fun SlotPool.writeRaw(slot: Int, state: RawSlot) {
    val memory = segment.memory()
    memory.set(ValueLayout.JAVA_INT, PoolLayout.ownersOffset(capacity.toLong()) + 4L * slot, state.owner)
    val offset = PoolLayout.BITMAP_OFFSET + 8L * (slot ushr 6)
    val word = memory.get(ValueLayout.JAVA_LONG, offset)
    val mask = 1L shl (slot and 63)
    memory.set(ValueLayout.JAVA_LONG, offset, if (state.bit) word or mask else word and mask.inv())
}

/** The pool's count of waiters for several slots (see [PoolLayout]). */
internal fun SlotPool.multiWaiters(): Int = segment.memory().get(ValueLayout.JAVA_INT, PoolLayout.MULTI_WAITERS_OFFSET)

/** Every slot is FREE or HELD (no BUSY left, bit set exactly when the owner word is set). */
internal fun SlotPool.inconsistentSlots(): List<String> = (0 until capacity()).mapNotNull { slot ->
    val state = raw(slot)
    when {
        state.owner and SlotAllocator.BUSY != 0 -> "slot $slot: $state is still changing"
        (state.owner != 0) != state.bit -> "slot $slot: $state"
        else -> null
    }
}

/** Allocates `args[1]` slots, prints `HELD s1 s2 …`, then waits to be killed (or told to exit). */
object HoldSlots : Scenario {
    override fun run(args: List<String>) {
        openLongPool(args[0]).use { pool ->
            val slots = (0 until args[1].toInt()).map { pool.allocAndSet(ProcessHandle.current().pid()) }
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
            val slot = pool.alloc()
            println("GOT $slot ${(System.nanoTime() - start) / 1_000_000}")
        }
    }
}

/** Waits for `free N` lines on stdin and frees slot N, answering `FREED N true|false`. */
object FreeOnRequest : Scenario {
    override fun run(args: List<String>) {
        openLongPool(args[0]).use { pool ->
            println("READY")
            while (true) {
                val line = readlnOrNull() ?: break
                if (line == "exit") break
                val slot = line.removePrefix("free ").toInt()
                println("FREED $slot ${pool.free(slot)}")
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
                val slot = pool.alloc()
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
                    pool.alloc(Duration.ofMillis(100))?.let { intArrayOf(it) }
                } else {
                    pool.allocN(count, Duration.ofMillis(100))
                } ?: continue
                for (slot in slots) pool[slot] = pid
                val spins = random.nextInt(200)
                repeat(spins) { Thread.onSpinWait() }
                for (slot in slots) check(pool[slot] == pid) { "slot $slot held by $pid now holds ${pool[slot]}" }
                if (slots.size == 1) check(pool.free(slots[0])) else check(pool.freeN(*slots) == slots.size)
                rounds++
            }
            val keep = (0 until args[1].toInt()).map { pool.allocAndSet(pid) }
            println("HOLDING ${rounds} ${keep.joinToString(" ")}")
            control.join()
            readln()
        }
    }
}
