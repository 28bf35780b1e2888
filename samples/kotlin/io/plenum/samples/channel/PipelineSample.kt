@file:JvmName("PipelineSample")

package io.plenum.samples.channel

import io.plenum.channel.SharedChannel
import io.plenum.channel.closeForSend
import io.plenum.channel.consumeAsFlow
import io.plenum.channel.iterator
import io.plenum.channel.send
import io.plenum.segment.OpenMode
import java.nio.file.Files
import java.nio.file.Path
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.flow.fold
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking

/**
 * A coroutine pipeline across JVMs: a producer sends numbers into `jobs`, worker JVMs (two, each
 * with four coroutines) square them into `results`, a collector sums the results. Closing for send
 * flows down the pipeline: the producer closes `jobs`; the last worker to finish closes `results`.
 *
 * `PipelineSample [count]` runs the whole pipeline (starting the worker JVMs);
 * `PipelineSample worker DIR` is one worker JVM.
 */
fun main(args: Array<String>) = runBlocking {
    if (args.firstOrNull() == "worker") return@runBlocking worker(Path.of(args[1]))
    val count = args.firstOrNull()?.toLong() ?: 10_000L
    val dir = Files.createTempDirectory(Path.of("/dev/shm"), "plenum-pipeline-")
    SharedChannel<Long>(dir.resolve("jobs").toString()) { capacity = 256 }.use { jobs ->
        SharedChannel<Long>(dir.resolve("results").toString()) { capacity = 256 }.use { results ->
            SharedChannel<Long>(dir.resolve("finished").toString()) { capacity = 8 }.use { }
            val workers = (0 until 2).map {
                ProcessBuilder(ProcessHandle.current().info().command().get(), "--enable-native-access=ALL-UNNAMED",
                    "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                    "io.plenum.samples.channel.PipelineSample", "worker", dir.toString()).inheritIO().start()
            }
            launch {
                for (i in 1..count) jobs.send(i)
                jobs.closeForSend()
            }
            // The collector: a flow of the results, ended by the workers' close.
            val sum = results.consumeAsFlow().fold(0L) { total, square -> total + square }
            workers.forEach { it.waitFor() }
            println("collector: sum of squares of 1..$count = $sum (expected ${count * (count + 1) * (2 * count + 1) / 6})")
        }
    }
    dir.toFile().deleteRecursively()
    Unit
}

private suspend fun worker(dir: Path) {
    val jobs = SharedChannel<Long>(dir.resolve("jobs").toString()) { mode = OpenMode.OPEN_EXISTING }
    val results = SharedChannel<Long>(dir.resolve("results").toString()) { mode = OpenMode.OPEN_EXISTING }
    val finished = SharedChannel<Long>(dir.resolve("finished").toString()) { mode = OpenMode.OPEN_EXISTING }
    var done = 0L
    coroutineScope {
        repeat(4) {
            launch {
                for (job in jobs) {
                    results.send(job * job)
                    done++ // confined: runBlocking's single thread
                }
            }
        }
    }
    // The second worker to finish ends the results for the collector.
    finished.send(done)
    if (finished.size() == 2) results.closeForSend(IllegalStateException("all workers finished"))
    println("worker ${ProcessHandle.current().pid()}: squared $done numbers")
    listOf(jobs, results, finished).forEach { it.close() }
}
