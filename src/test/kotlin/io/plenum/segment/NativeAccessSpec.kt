package io.plenum.segment

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldNotContain
import io.plenum.array.SharedLongArray
import io.plenum.testing.ChildJvm
import io.plenum.testing.Scenario
import io.plenum.testing.TestCounters
import kotlin.time.Duration.Companion.minutes

/** Opens a segment twice and an array once; prints how each attempt failed. */
object OpenWithoutNativeAccess : Scenario {
    override fun run(args: List<String>) {
        repeat(2) { attempt ->
            try {
                TestCounters.open(Backing.anonymous()).close()
                println("OPENED")
            } catch (e: SegmentException) {
                println("ATTEMPT $attempt ${e.javaClass.simpleName}: ${e.message}")
            }
        }
        try {
            SharedLongArray.open(Backing.memfd("no-native-access"), 8).close()
            println("OPENED")
        } catch (e: SegmentException) {
            println("ARRAY ${e.javaClass.simpleName}: ${e.message}")
        }
    }
}

/** Without native access, the first use fails with the exact flag to add, the same way every time. */
class NativeAccessSpec : FunSpec({
    for (extra in listOf(emptyList(), listOf("--illegal-native-access=deny"))) {
        test("without --enable-native-access ${extra.joinToString(" ")}: a SegmentException naming the flag, every time") {
            ChildJvm.start(OpenWithoutNativeAccess::class, options = ChildJvm.withoutNativeAccess(*extra.toTypedArray())).use { child ->
                child.awaitSuccess(2.minutes)
                val output = child.output
                output shouldNotContain "OPENED"
                val lines = output.lines()
                for (prefix in listOf("ATTEMPT 0 SegmentException: ", "ATTEMPT 1 SegmentException: ", "ARRAY SegmentException: ")) {
                    val line = lines.single { it.startsWith(prefix) }
                    line shouldContain "--enable-native-access=ALL-UNNAMED"
                }
                // Refused before any native call: the JDK never got to warn or to fail a class initialiser.
                output shouldNotContain "WARNING: A restricted method"
                output shouldNotContain "NoClassDefFoundError"
                output shouldNotContain "ExceptionInInitializerError"
            }
        }
    }

    test("with the flag, the same scenario opens") {
        ChildJvm.start(OpenWithoutNativeAccess::class).use { child ->
            child.awaitSuccess(2.minutes)
            child.output.lines().count { it == "OPENED" } shouldBe 3
        }
    }
})
