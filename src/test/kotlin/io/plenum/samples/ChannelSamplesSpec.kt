package io.plenum.samples

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.plenum.samples.channel.WorkerPoolSample
import io.plenum.testing.ChildJvm
import java.util.concurrent.TimeUnit

/** The channel samples run to their end and print what they promise (small counts, so they stay quick). */
class ChannelSamplesSpec : FunSpec({
    fun run(mainClass: String, vararg args: String): String {
        val command = listOf(ProcessHandle.current().info().command().get()) + ChildJvm.jvmOptions +
            listOf("-cp", System.getProperty("java.class.path"), mainClass) + args
        val process = ProcessBuilder(command).redirectErrorStream(true).start()
        val output = process.inputReader().readText()
        process.waitFor(3, TimeUnit.MINUTES) shouldBe true
        if (process.exitValue() != 0) throw AssertionError("$mainClass exited with ${process.exitValue()}:\n$output")
        return output
    }

    test("Java worker pool: put/take, every job once, ended by closeForSend") {
        val output = run(WorkerPoolSample::class.java.name, "5000")
        output shouldContain "workers: 5000 jobs done"
        val (got, expected) = Regex("\\((\\d+) characters, expected (\\d+)\\)").find(output)!!.destructured
        got shouldBe expected
    }

    test("Kotlin pipeline across JVMs: producer -> worker JVMs -> collector, exact sum") {
        val output = run("io.plenum.samples.channel.PipelineSample", "2000")
        output shouldContain "collector: sum of squares of 1..2000 = 2668667000 (expected 2668667000)"
    }
})
