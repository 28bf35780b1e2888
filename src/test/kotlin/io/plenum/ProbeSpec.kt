package io.plenum
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
class ProbeSpec : FunSpec({ test("probe") { probe() shouldBe "io.plenum.demo.Demo" } })
