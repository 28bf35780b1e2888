package io.plenum.map

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactlyInAnyOrder
import io.kotest.matchers.ints.shouldBeGreaterThan
import io.kotest.matchers.nulls.shouldBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.plenum.codec.Codecs
import io.plenum.linux.Fs
import io.plenum.segment.Backing
import io.plenum.segment.OpenMode
import io.plenum.testing.TempPaths
import java.nio.file.Files
import java.time.Duration
import kotlin.random.Random

/** Every backing passes the same map contract, checked against a HashMap model. */
class MapContractSpec : FunSpec({
    val paths = TempPaths("map-contract")
    afterSpec {
        Files.list(paths.root.parent).use { entries ->
            entries.filter { it.fileName.toString().startsWith("${paths.root.fileName}-") }.forEach(Files::deleteIfExists)
        }
        paths.close()
    }

    val backings: List<Pair<String, () -> Backing>> = listOf(
        "file" to { Backing.file(paths.next()) },
        "shm name" to { Backing.shm("${paths.root.fileName}-${System.nanoTime()}") },
        "memfd" to { Backing.memfd("plenum-map-contract") },
        "anonymous" to { Backing.anonymous() },
        "fd of an empty memfd" to { Backing.fd(Fs.memfdCreate("plenum-map-empty")) },
    )

    for ((name, backing) in backings) {
        context("backing: $name") {
            test("put, get, replace, remove, size, snapshot, clear") {
                SharedMap.ofStrings(MapOptions.of(backing())).use { map ->
                    map.isEmpty() shouldBe true
                    map.put("a", "1").shouldBeNull()
                    map.put("a", "2") shouldBe "1"
                    map["a"] shouldBe "2"
                    map.containsKey("a") shouldBe true
                    map.containsKey("b") shouldBe false
                    map.putIfAbsent("a", "3") shouldBe "2"
                    map.putIfAbsent("b", "3").shouldBeNull()
                    map.replace("c", "x").shouldBeNull()
                    map.containsKey("c") shouldBe false
                    map.replace("b", "3", "4") shouldBe true
                    map.replace("b", "3", "5") shouldBe false
                    map.remove("b", "5") shouldBe false
                    map.remove("b", "4") shouldBe true
                    map.size shouldBe 1
                    map.put("", "empty key") shouldBe null
                    map[""] shouldBe "empty key"
                    map.put("v", "") shouldBe null
                    map["v"] shouldBe ""
                    map.snapshot() shouldBe mapOf("a" to "2", "" to "empty key", "v" to "")
                    map.entries.map { it.key to it.value } shouldContainExactlyInAnyOrder
                        listOf("a" to "2", "" to "empty key", "v" to "")
                    map.remove("a") shouldBe "2"
                    map.clear()
                    map.isEmpty() shouldBe true
                    map["v"].shouldBeNull()
                    map.put("after", "clear").shouldBeNull()
                    map["after"] shouldBe "clear"
                }
            }

            test("compute, merge and counters are atomic under many threads") {
                SharedMap.open(Codecs.STRING, Codecs.LONG, MapOptions.of(backing()).withStripes(4)).use { map ->
                    val threads = (0 until 4).map { t ->
                        Thread.ofPlatform().start {
                            repeat(5_000) { i ->
                                map.addAndGet("counter-${i % 7}", 1)
                                map.merge("merged", 1L, Long::plus)
                                map.compute("computed") { _, v -> (v ?: 0L) + 2 }
                                map.put("own-$t-${i % 50}", i.toLong())
                            }
                        }
                    }
                    threads.forEach { it.join() }
                    (0 until 7).sumOf { map["counter-$it"]!! } shouldBe 20_000L
                    map["merged"] shouldBe 20_000L
                    map["computed"] shouldBe 40_000L
                    map.size shouldBe 7 + 2 + 4 * 50
                    map.computeIfPresent("merged") { _, _ -> null }.shouldBeNull()
                    map.containsKey("merged") shouldBe false
                    map.computeIfAbsent("fresh") { 9L } shouldBe 9L
                    map.computeIfAbsent("fresh") { 10L } shouldBe 9L
                }
            }

            test("a random program agrees with a HashMap, through growth and reuse") {
                SharedMap.ofStrings(MapOptions.of(backing()).withStripes(4)).use { map ->
                    val model = HashMap<String, String>()
                    val random = Random(42)
                    repeat(60_000) { step ->
                        val key = "k" + random.nextInt(if (step < 30_000) 3_000 else 300)
                        when (random.nextInt(10)) {
                            0, 1, 2 -> {
                                val value = "v".repeat(random.nextInt(0, 40)) + step
                                map.put(key, value) shouldBe model.put(key, value)
                            }
                            3 -> map.remove(key) shouldBe model.remove(key)
                            4 -> map.putIfAbsent(key, "p$step") shouldBe model.putIfAbsent(key, "p$step")
                            5 -> {
                                val old = model[key] ?: "none"
                                map.replace(key, old, "r$step") shouldBe model.replace(key, old, "r$step")
                            }
                            6 -> map.merge(key, "m", String::plus) shouldBe model.merge(key, "m", String::plus)
                            else -> map[key] shouldBe model[key]
                        }
                        if (step % 10_000 == 0) {
                            map.size shouldBe model.size
                            map.snapshot() shouldBe model
                        }
                    }
                    map.snapshot() shouldBe model
                    map.size shouldBe model.size
                    val stats = map.stats()
                    stats.entries shouldBe model.size.toLong()
                }
            }

            test("Long to Long: getLong allocates nothing and agrees with get") {
                SharedMap.ofLongs(MapOptions.of(backing())).use { map ->
                    for (i in 0L until 10_000L) map.putLong(i, i * 3)
                    for (i in 0L until 10_000L) {
                        map.getLong(i) shouldBe i * 3
                        map[i] shouldBe i * 3
                    }
                    map.getLong(-5, -1) shouldBe -1
                    map.getLong(-5) shouldBe 0
                    map.size shouldBe 10_000
                }
            }

            test("bad input is refused and changes nothing") {
                SharedMap.ofStrings(MapOptions.of(backing()).withMaxKeySize(8).withMaxValueSize(16)).use { map ->
                    map.put("k", "v")
                    shouldThrow<IllegalArgumentException> { map.put("123456789", "v") }.message shouldContain "maxKeySize 8"
                    shouldThrow<IllegalArgumentException> { map.put("k", "x".repeat(17)) }.message shouldContain "maxValueSize 16"
                    shouldThrow<IllegalArgumentException> { map.compute("k") { _, _ -> "y".repeat(20) } }
                    shouldThrow<NullPointerException> { (map as MutableMap<String?, String?>).put(null, "v") }
                    shouldThrow<NullPointerException> { (map as MutableMap<String?, String?>).put("k", null) }
                    shouldThrow<IllegalStateException> { map.compute("k") { _, _ -> map.put("k", "again") } }
                    map.snapshot() shouldBe mapOf("k" to "v")
                    shouldThrow<UnsupportedOperationException> { map.getLong(1) }
                }
            }

            test("awaitChange sees a change made by another thread, and times out without one") {
                SharedMap.ofStrings(MapOptions.of(backing())).use { map ->
                    map.waitForChange("k", "x", Duration.ofMillis(1)) shouldBe true
                    map.put("k", "x")
                    map.waitForChange("k", "x", Duration.ofMillis(30)) shouldBe false
                    val writer = Thread.ofPlatform().start {
                        Thread.sleep(50)
                        map.put("other", "noise")
                        map.put("k", "y")
                    }
                    map.waitForChange("k", "x") shouldBe "y"
                    writer.join()
                    val future = map.waitForChangeAsync("k", "y")
                    map.remove("k")
                    future.get().shouldBeNull()
                    val pending = map.waitForChangeAsync("k", null)
                    map.close()
                    shouldThrow<java.util.concurrent.ExecutionException> { pending.get() }.cause!!.message shouldContain "closed"
                    shouldThrow<IllegalStateException> { map["k"] }.message shouldContain "closed"
                }
            }
        }
    }

    test("reopen: the header is the truth; codecs and sizes are checked") {
        val path = paths.next("reopen")
        SharedMap.ofStrings(MapOptions.of(path).withMaxValueSize(100)).use { map ->
            map.put("kept", "yes")
            SharedMap.ofStrings(MapOptions.of(path)).use { again -> again["kept"] shouldBe "yes" }
            shouldThrow<IllegalArgumentException> { SharedMap.ofLongs(MapOptions.of(path)) }.message shouldContain "codec"
            shouldThrow<io.plenum.segment.SegmentFormatException> {
                SharedMap.ofStrings(MapOptions.of(path).withMaxValueSize(200))
            }.message shouldContain "elementSize"
            SharedMap.ofStrings(MapOptions.of(path).withMode(OpenMode.RECREATE)).use { fresh ->
                fresh.isEmpty() shouldBe true
            }
            map["kept"] shouldBe "yes"
        }
    }

    test("RECREATE by two at once: each gets a whole new map, the path ends on one of them, an old handle goes on") {
        val path = paths.next("recreate")
        SharedMap.ofStrings(MapOptions.of(path)).use { old ->
            old.put("old", "1")
            repeat(20) { round ->
                val maps = (0 until 2).map { i ->
                    java.util.concurrent.CompletableFuture.supplyAsync {
                        SharedMap.ofStrings(MapOptions.of(path).withMode(OpenMode.RECREATE)).also { it.put("who", "$round-$i") }
                    }
                }.map { it.get() }
                maps.forEach { it.size shouldBe 1 }
                SharedMap.ofStrings(MapOptions.of(path).withMode(OpenMode.OPEN_EXISTING)).use { named ->
                    named.size shouldBe 1
                    (named["who"] in maps.map { it["who"] }) shouldBe true
                }
                maps.forEach { it.close() }
            }
            old["old"] shouldBe "1"
            old.put("still", "works").shouldBeNull()
        }
    }

    test("presized map holds its entries without rebuilding and empty map grows") {
        SharedMap.ofLongs(MapOptions.of(Backing.memfd("presized")).withInitialCapacity(50_000)).use { map ->
            val before = map.stats().blocks
            for (i in 0L until 40_000L) map.putLong(i, i)
            map.stats().blocks shouldBe before
            map.size shouldBe 40_000
        }
        SharedMap.ofLongs(MapOptions.of(Backing.memfd("empty"))).use { map ->
            for (i in 0L until 40_000L) map.putLong(i, i)
            map.stats().growths.toInt() shouldBeGreaterThan 0
            for (i in 0L until 40_000L) map.getLong(i, -1) shouldBe i
        }
    }
})
