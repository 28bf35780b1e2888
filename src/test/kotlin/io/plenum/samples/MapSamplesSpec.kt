package io.plenum.samples

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.plenum.samples.map.NamedCountersSample
import io.plenum.testing.ChildJvm
import java.util.concurrent.TimeUnit

/** The map samples run to their end and print what they promise. */
class MapSamplesSpec : FunSpec({
    fun run(mainClass: String, vararg args: String): String {
        val command = listOf(ProcessHandle.current().info().command().get()) + ChildJvm.jvmOptions +
            listOf("-cp", System.getProperty("java.class.path"), mainClass) + args
        val process = ProcessBuilder(command).redirectErrorStream(true).start()
        val output = process.inputReader().readText()
        process.waitFor(2, TimeUnit.MINUTES) shouldBe true
        if (process.exitValue() != 0) throw AssertionError("$mainClass exited with ${process.exitValue()}:\n$output")
        return output
    }

    test("named counters sample: Java ConcurrentMap code in 3 JVMs loses no increment") {
        val output = run(NamedCountersSample::class.java.name, "3", "2000")
        output shouldContain "total 6000 of 6000 events"
    }

    test("config sample: every worker JVM follows the mode through changes() and sees the stop") {
        val output = run("io.plenum.samples.map.ConfigSampleKt", "2")
        output shouldContain "worker 0: mode is now careful"
        output shouldContain "worker 1: mode is now careful"
        output shouldContain "config: every worker saw 2 stops"
    }
})
