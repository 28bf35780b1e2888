package io.plenum.samples.value

import io.plenum.codec.codec
import io.plenum.segment.OpenMode
import io.plenum.value.SharedValue
import io.plenum.value.asFlow
import java.nio.file.Files
import java.nio.file.Path
import kotlin.io.path.deleteIfExists
import kotlinx.coroutines.flow.takeWhile
import kotlinx.coroutines.runBlocking
import kotlinx.serialization.Serializable
import kotlinx.serialization.json.Json

/** The configuration every worker follows. */
@Serializable
data class Config(val revision: Int, val greeting: String, val batchSize: Int, val stop: Boolean = false)

/**
 * A shared configuration: the coordinator (this JVM) publishes a `@Serializable` [Config] in a
 * shared value under /dev/shm; [WORKERS] worker JVMs watch it as a Flow. A new collector gets the
 * current configuration at once, then every change (conflated: a slow worker skips to the newest).
 * A configuration with `stop = true` ends the workers.
 *
 * ```
 * java --enable-native-access=ALL-UNNAMED -cp … io.plenum.samples.value.SharedConfigSampleKt
 * ```
 */
const val WORKERS = 2

fun main(args: Array<String>) {
    if (args.firstOrNull() == "worker") {
        work(args[1], args[2].toInt())
        return
    }
    val path = Files.createTempFile(Path.of("/dev/shm"), "plenum-sample-config-", "")
    path.deleteIfExists()
    SharedValue<Config>(path.toString()) { codec = Json.codec(); mode = OpenMode.CREATE_NEW }.use { config ->
        config.set(Config(1, "hello", batchSize = 10))
        val workers = (1..WORKERS).map { id ->
            ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "io.plenum.samples.value.SharedConfigSampleKt",
                "worker", path.toString(), id.toString()).redirectErrorStream(true).start()
        }
        val outputs = workers.map { it.inputReader() }
        // Each worker prints one line when it has the first configuration.
        outputs.forEach { println(it.readLine()) }
        config.update { it!!.copy(revision = 2, greeting = "bonjour") }
        config.update { it!!.copy(revision = 3, batchSize = 50) }
        config.update { it!!.copy(revision = 4, stop = true) }
        outputs.forEach { reader -> reader.lineSequence().forEach(::println) }
        val codes = workers.map { it.waitFor() }
        println("coordinator: ${codes.count { it == 0 }} of $WORKERS workers stopped at revision ${config.get()!!.revision}")
    }
    path.deleteIfExists()
}

private fun work(path: String, id: Int) = runBlocking {
    SharedValue<Config>(path) { codec = Json.codec() }.use { config ->
        var seen = 0
        config.asFlow().takeWhile { !it.stop }.collect { current ->
            if (seen++ == 0) println("worker $id: ready with revision ${current.revision}") else
                println("worker $id: revision ${current.revision}: ${current.greeting}, batches of ${current.batchSize}")
            System.out.flush()
        }
        println("worker $id: stopped at revision ${config.get()!!.revision}")
    }
}
