package io.plenum.samples

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.plenum.samples.demo.Demo
import io.plenum.testing.ChildJvm
import java.util.concurrent.TimeUnit

/** The README's main job runs and ends with exact totals (small counts, so it stays quick). */
class DemoSpec : FunSpec({
    test("the demo's worker JVMs add up exactly") {
        val command = listOf(ProcessHandle.current().info().command().get()) + ChildJvm.jvmOptions +
            listOf("-cp", System.getProperty("java.class.path"), Demo::class.java.name, "2", "20000")
        val process = ProcessBuilder(command).redirectErrorStream(true).start()
        val output = process.inputReader().readText()
        process.waitFor(2, TimeUnit.MINUTES) shouldBe true
        output shouldContain "total 40,000, expected 40,000: exact"
        process.exitValue() shouldBe 0
    }
})
