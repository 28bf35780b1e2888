package io.plenum.samples.pool

import io.plenum.pool.SharedLongPool
import io.plenum.pool.alloc
import io.plenum.pool.notifications
import io.plenum.segment.OpenMode
import io.plenum.sync.EventNotifier
import java.nio.file.Files
import java.nio.file.Path
import kotlin.io.path.deleteIfExists
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.runBlocking

/**
 * A producer and a consumer in two JVMs, sharing jobs through a slot pool and waking each other
 * through an eventfd; neither blocks a thread while it waits.
 *
 * - The producer (this JVM) creates a pool of [SLOTS] job slots in /dev/shm and an eventfd, and
 *   starts the consumer JVM with the pool's path and (pid, fd) of its eventfd.
 * - For each job it suspends in [alloc] until a slot is free (backpressure: at most
 *   [SLOTS] jobs are in flight), writes the job into the slot, and signals the eventfd.
 * - The consumer opens the pool and the producer's eventfd, and collects the pool's
 *   notifications as a Flow: on each signal it takes every slot holding a job: it adopts the slot
 *   by its ticket (one compare-and-set makes the consumer its owner, so from then on the slot is
 *   the consumer's to free, and were the producer to die, recovering its slots would not take
 *   this one away), adds the job up, clears the slot and frees it. Freeing wakes the producer if
 *   it waits for a slot. A slot is adopted only while it still holds the allocation its ticket
 *   names, so no job is taken twice, and a free never frees a newer allocation.
 * - Job [STOP] ends the consumer, which prints the sum it saw; the producer checks it.
 *
 * A free slot always holds 0, and a job is never 0, so the consumer skips slots the producer has
 * taken but not yet written.
 *
 * ```
 * java --enable-native-access=ALL-UNNAMED -cp … io.plenum.samples.pool.JobsSampleKt [jobs]
 * ```
 */
const val SLOTS = 8
const val STOP = -1L

fun main(args: Array<String>) {
    if (args.firstOrNull() == "consumer") {
        consume(Path.of(args[1]), args[2].toLong(), args[3].toInt())
        return
    }
    val jobs = args.firstOrNull()?.toInt() ?: 1_000
    val path = Files.createTempFile(Path.of("/dev/shm"), "plenum-sample-jobs-", "")
    path.deleteIfExists()
    SharedLongPool(path.toString()) { capacity = SLOTS; mode = OpenMode.CREATE_NEW }.use { pool ->
        val signal = pool.eventfd()
        val consumer = ProcessBuilder(
            ProcessHandle.current().info().command().orElse("java"), "--enable-native-access=ALL-UNNAMED",
            "-cp", System.getProperty("java.class.path"), "io.plenum.samples.pool.JobsSampleKt",
            "consumer", path.toString(), ProcessHandle.current().pid().toString(), signal.fd().toString(),
        ).inheritIO().start()
        runBlocking {
            for (job in (1..jobs).map(Int::toLong) + STOP) {
                val slot = pool.alloc()
                pool[slot] = job
                pool.signalEventfd()
            }
        }
        check(consumer.waitFor() == 0) { "the consumer failed" }
        println("producer: sent $jobs jobs (sum ${jobs.toLong() * (jobs + 1) / 2}); slots in use now: ${pool.used()}")
    }
    path.deleteIfExists()
}

fun consume(path: Path, producerPid: Long, eventFd: Int) {
    SharedLongPool(path.toString()) { mode = OpenMode.OPEN_EXISTING }.use { pool ->
        pool.useEventfd(EventNotifier.fromProcess(producerPid, eventFd))
        var sum = 0L
        var count = 0
        var stopped = false

        /** Takes every slot that holds a job. */
        fun takeJobs() {
            for (slot in pool.allocatedSlots()) {
                val ticket = pool.ticket(slot) ?: continue // freed meanwhile
                val job = pool[slot]
                if (job == 0L) continue // taken, not written yet: its own signal comes later
                // The job read belongs to the allocation the ticket names (the producer writes a
                // slot once, then leaves it alone); adopting it makes it ours, or fails when that
                // allocation is over.
                if (!pool.adopt(ticket)) continue
                if (job == STOP) stopped = true else { sum += job; count++ }
                pool[slot] = 0
                check(pool.free(slot)) { "slot $slot was adopted, so it is ours to free" }
            }
        }
        runBlocking {
            pool.notifications().first {
                takeJobs()
                stopped
            }
        }
        // STOP was written last: every job written before it is visible now, also in slots this
        // pass had already looked at.
        takeJobs()
        println("consumer: took $count jobs, sum $sum")
    }
}
