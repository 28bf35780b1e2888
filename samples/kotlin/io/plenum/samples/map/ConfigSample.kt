package io.plenum.samples.map

import io.plenum.map.SharedMap
import io.plenum.map.changes
import io.plenum.segment.OpenMode
import kotlinx.coroutines.flow.takeWhile
import kotlinx.coroutines.runBlocking
import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit

/**
 * A configuration map in POSIX shared memory, watched by worker JVMs: each worker follows the key
 * `mode` as a Flow (no thread blocked, no polling) and stops when it reads `stop`; this JVM
 * changes the configuration a few times and waits for every worker to acknowledge each change.
 *
 * Run: `ConfigSampleKt [workers]`.
 */
fun main(args: Array<String>) {
    if (args.firstOrNull() == "worker") return worker(args[1], args[2])
    val workers = args.firstOrNull()?.toInt() ?: 2
    val path = Files.createTempFile(Path.of("/dev/shm"), "plenum-config-", "").also(Files::delete).toString()
    SharedMap<String, String>(path) { maxValueSize = 256 }.use { config ->
        config["mode"] = "warm-up"
        val processes = (0 until workers).map { w ->
            ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "io.plenum.samples.map.ConfigSampleKt", "worker", path, "$w")
                .inheritIO().start()
        }
        for (mode in listOf("fast", "careful", "stop")) {
            // Every worker acknowledges the mode it sees under its own key before the next change.
            while ((0 until workers).any { config["ack-$it"] != config["mode"] }) Thread.sleep(5)
            config["mode"] = mode
            println("config: mode = $mode")
        }
        processes.forEach { check(it.waitFor(2, TimeUnit.MINUTES) && it.exitValue() == 0) { "a worker failed" } }
        println("config: every worker saw ${config.entries.count { it.key.startsWith("ack-") && it.value == "stop" }} stops")
        config.unlink()
    }
}

private fun worker(path: String, index: String) = runBlocking {
    SharedMap<String, String>(path) { mode = OpenMode.OPEN_EXISTING }.use { config ->
        config.changes("mode").takeWhile { it != "stop" }.collect { mode ->
            println("worker $index: mode is now $mode")
            config["ack-$index"] = mode!!
        }
        config["ack-$index"] = "stop"
    }
}
