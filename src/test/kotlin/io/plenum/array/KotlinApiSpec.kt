package io.plenum.array

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.plenum.segment.Backing

@OptIn(ExperimentalUnsignedTypes::class)
class KotlinApiSpec : FunSpec({
    test("factory DSL, operators and iteration on the Java classes") {
        SharedLongArray { backing = Backing.anonymous(); capacity = 3 }.use { a ->
            a.setRelease(0, 5)
            a.addAndGet(0, 2) // a[0] += 2 does not compile (see ApiCompileSpec)
            a.setRelease(1, a[0] * 2)
            a.size shouldBe 3
            a.indices shouldBe 0..2
            var sum = 0L
            for (value in a) sum += value
            sum shouldBe 21
        }
        SharedStringArray { backing = Backing.anonymous(); capacity = 2; maxLength = 3 }.use { s ->
            s[1] = "abc"
            s.toList() shouldBe listOf("", "abc")
        }
        shouldThrow<IllegalArgumentException> { SharedIntArray { capacity = 2 } }.message shouldBe
            "give a path or set backing = Backing.…"
    }

    test("unsigned value classes see UByte, UShort, UInt and ULong, wrapping like Kotlin's") {
        SharedULongArray { backing = Backing.anonymous(); capacity = 2 }.use { a ->
            a.setRelease(0, ULong.MAX_VALUE)
            a[0] shouldBe ULong.MAX_VALUE
            a.incrementAndGet(0) shouldBe 0uL
            a.getAndAdd(1, -1) shouldBe 0uL
            a[1] shouldBe ULong.MAX_VALUE
            a.compareAndSet(1, ULong.MAX_VALUE, 7uL) shouldBe true
            a.slice(0, 2).toList() shouldBe listOf(0uL, 7uL)
            a.raw.elementType() shouldBe ElementType.U64
        }
        SharedUIntArray { backing = Backing.anonymous(); capacity = 1 }.use { a ->
            a.setRelease(0, UInt.MAX_VALUE)
            a.addAndGet(0, 2) shouldBe 1u
        }
        SharedUShortArray { backing = Backing.anonymous(); capacity = 3 }.use { a ->
            a.setRelease(1, 65535u)
            a.addAndGet(1, 1) shouldBe 0.toUShort()
            a.fill(9u, from = 2)
            a.toList() shouldBe listOf<UShort>(0u, 0u, 9u)
        }
        SharedUByteArray { backing = Backing.anonymous(); capacity = 2 }.use { a ->
            a.setRelease(0, 0xF0u)
            a.getAndBitwiseOr(0, 0x0Fu) shouldBe 0xF0.toUByte()
            a[0] shouldBe 0xFF.toUByte()
            a.decrementAndGet(1) shouldBe 0xFF.toUByte()
            a.copyFrom(0, ubyteArrayOf(1u, 2u))
            a.slice(0, 2).toList() shouldBe listOf<UByte>(1u, 2u)
        }
        SharedLongArray { backing = Backing.anonymous(); capacity = 1 }.use { signed ->
            shouldThrow<IllegalArgumentException> { SharedULongArray(signed) }.message shouldBe "anonymous memory holds I64, not U64"
        }
    }
})

private fun <T> Iterator<T>.toList(): List<T> = buildList { while (hasNext()) add(next()) }
private fun SharedStringArray.toList(): List<String> = iterator().toList()
private fun SharedUShortArray.toList(): List<UShort> = iterator().toList()
