package io.plenum.samples

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.plenum.samples.value.SettingsJavaSample
import io.plenum.testing.ChildJvm
import java.util.concurrent.TimeUnit

/** The value samples run to their end and print what they promise. */
class ValueSamplesSpec : FunSpec({
    fun run(mainClass: String, vararg args: String): String {
        val command = listOf(ProcessHandle.current().info().command().get()) + ChildJvm.jvmOptions +
            listOf("-cp", System.getProperty("java.class.path"), mainClass) + args
        val process = ProcessBuilder(command).redirectErrorStream(true).start()
        val output = process.inputReader().readText()
        process.waitFor(2, TimeUnit.MINUTES) shouldBe true
        if (process.exitValue() != 0) throw AssertionError("$mainClass exited with ${process.exitValue()}:\n$output")
        return output
    }

    test("shared configuration sample: worker JVMs follow the configuration as a Flow and stop on it") {
        val output = run("io.plenum.samples.value.SharedConfigSampleKt")
        output shouldContain "worker 1: ready with revision 1"
        output shouldContain "worker 2: ready with revision 1"
        output shouldContain "worker 1: stopped at revision 4"
        output shouldContain "worker 2: stopped at revision 4"
        output shouldContain "coordinator: 2 of 2 workers stopped at revision 4"
    }

    test("Java sample with a user codec") {
        val output = run(SettingsJavaSample::class.java.name)
        output shouldContain "before the first write: null, version 0"
        output shouldContain "watcher: version 2 is Settings[mode=busy, limit=20]"
        output shouldContain "compareAndSet on version 1: false"
        output shouldContain "now: Settings[mode=busy, limit=21], version 3"
        output shouldContain "changed within 10 ms: false"
    }
})
