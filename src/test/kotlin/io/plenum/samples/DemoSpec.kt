package io.plenum.samples

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.plenum.samples.demo.Demo
import io.plenum.testing.ChildJvm
import java.util.concurrent.TimeUnit

/** The README's main job runs, a consumer is killed and replaced, and the accounting is exact (small count, so it stays quick). */
class DemoSpec : FunSpec({
    test("the demo: producer and consumer JVMs over a SharedChannel, one consumer killed, exact accounting") {
        val command = listOf(ProcessHandle.current().info().command().get()) + ChildJvm.jvmOptions +
            listOf("-cp", System.getProperty("java.class.path"), Demo::class.java.name, "200000")
        val process = ProcessBuilder(command).redirectErrorStream(true).start()
        val output = process.inputReader().readText()
        process.waitFor(3, TimeUnit.MINUTES) shouldBe true
        if (process.exitValue() != 0) throw AssertionError("demo exited with ${process.exitValue()}:\n$output")
        output shouldContain "kill -9 consumer 1"
        output shouldContain "sent 200,000 = received"
        output shouldContain "duplicated 0;"
        output shouldContain "accounting exact"
    }
})
