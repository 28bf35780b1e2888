package io.plenum.samples

import io.plenum.array.SharedLongArray
import io.plenum.array.iterator
import io.plenum.array.write
import io.plenum.segment.OpenMode
import java.util.concurrent.TimeUnit

/**
 * A metrics array shared by several JVMs, in Kotlin: worker JVMs count requests, errors and bytes
 * into one [SharedLongArray] with lock-free atomic adds, while this JVM prints live totals from
 * consistent snapshots and finally checks that not one count was lost.
 *
 * Run: `main` (3 workers, 200,000 requests each), or `main 4 1000000`.
 */
enum class Metric { REQUESTS, ERRORS, BYTES, SLOW }

/** `metrics[Metric.ERRORS]`: the array's own `get`, indexed by name. */
operator fun SharedLongArray.get(metric: Metric): Long = get(metric.ordinal)

fun main(args: Array<String>) {
    if (args.firstOrNull() == "worker") return worker(args[1], args[2].toInt())
    val workers = args.getOrNull(0)?.toInt() ?: 3
    val requests = args.getOrNull(1)?.toInt() ?: 200_000
    val path = "/dev/shm/plenum-sample-metrics-${ProcessHandle.current().pid()}"

    SharedLongArray(path) { capacity = Metric.entries.size; mode = OpenMode.CREATE_NEW }.use { metrics ->
        try {
            val children = (1..workers).map { startWorker(path, requests) }
            // A worker can exit between two isAlive reads: ask once per round, never assume it still runs.
            while (true) {
                val running = children.firstOrNull { it.isAlive } ?: break
                println(report(metrics))
                running.waitFor(200, TimeUnit.MILLISECONDS)
            }
            children.forEach { check(it.exitValue() == 0) { "a worker failed: ${it.inputReader().readText()}" } }
            println(report(metrics))

            val expected = workers.toLong() * requests
            check(metrics[Metric.REQUESTS] == expected) { "requests: ${metrics[Metric.REQUESTS]}, expected $expected" }
            check(metrics[Metric.ERRORS] == workers.toLong() * errorsIn(requests)) { "errors lost" }
            println("$workers workers, ${metrics[Metric.REQUESTS]} requests: every count arrived")

            // A batch: read and reset every metric with no bulk writer in between.
            val total = metrics.write {
                val snapshot = metrics.slice(0, metrics.capacity())
                metrics.clear()
                snapshot.sum()
            }
            println("rotated ${"%,d".format(total)} counted units; now: ${metrics.joinToString()}")
        } finally {
            metrics.unlink()
        }
    }
}

private fun SharedLongArray.joinToString(): String = buildList { for (value in this@joinToString) add(value) }.joinToString()

private fun report(metrics: SharedLongArray): String {
    val snapshot = metrics.slice(0, metrics.capacity()) // consistent against bulk writers
    return Metric.entries.joinToString("  ") { "${it.name.lowercase()} %,d".format(snapshot[it.ordinal]) }
}

private fun errorsIn(requests: Int) = (requests + 96) / 97

private fun worker(path: String, requests: Int) {
    SharedLongArray(path) { mode = OpenMode.OPEN_EXISTING }.use { metrics ->
        repeat(requests) { i ->
            metrics.incrementAndGet(Metric.REQUESTS.ordinal)
            metrics.addAndGet(Metric.BYTES.ordinal, 100L + i % 900)
            if (i % 97 == 0) metrics.incrementAndGet(Metric.ERRORS.ordinal)
            if (i % 1000 == 999) metrics.incrementAndGet(Metric.SLOW.ordinal)
        }
    }
}

private fun startWorker(path: String, requests: Int): Process {
    val java = ProcessHandle.current().info().command().orElse("java")
    return ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Xmx64m", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), "io.plenum.samples.MetricsSampleKt", "worker", path, requests.toString())
        .redirectErrorStream(true).start()
}

