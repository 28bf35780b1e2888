package io.plenum.samples

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import java.nio.file.Files
import java.nio.file.Path

/** The metrics samples run end to end (their workers are real JVMs) and find every update; they throw otherwise. */
class MetricsSamplesSpec : FunSpec({
    fun leftovers() = Files.list(Path.of("/dev/shm")).use { files ->
        files.filter { it.fileName.toString().contains("plenum-sample-") && it.fileName.toString().contains("${ProcessHandle.current().pid()}") }.count()
    }

    test("the Kotlin metrics sample") {
        main(arrayOf("2", "20000"))
        leftovers() shouldBe 0
    }

    test("the Java metrics sample") {
        MetricsJavaSample.main(arrayOf("2", "20000"))
        leftovers() shouldBe 0
    }
})
