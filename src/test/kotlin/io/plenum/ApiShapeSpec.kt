package io.plenum

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.plenum.array.ArrayOptions
import io.plenum.array.SharedLongArray
import io.plenum.channel.ChannelOptions
import io.plenum.channel.SharedChannel
import io.plenum.codec.Codecs
import io.plenum.map.MapOptions
import io.plenum.map.SharedMap
import io.plenum.pool.PoolOptions
import io.plenum.pool.SharedLongPool
import io.plenum.sync.LockOptions
import io.plenum.sync.Seqlock
import io.plenum.sync.SharedMutex
import io.plenum.sync.SharedRwLock
import io.plenum.testing.TempPaths
import io.plenum.value.SharedValue
import io.plenum.value.ValueOptions
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.attribute.PosixFilePermissions

/**
 * Every structure opens the same way: a Kotlin factory named like the type with a builder block,
 * and a Java options record with withers, taking the same names for the same things. Here: a new
 * file gets the permission bits asked for (`fileMode`), in both shapes, and bad bits are refused
 * by name before any file exists.
 */
class ApiShapeSpec : FunSpec({
    val paths = TempPaths("api-shape")
    afterSpec { paths.close() }

    /** How one structure opens at a path with a file mode, in one shape. */
    data class Opener(val name: String, val open: (Path, Int) -> AutoCloseable)

    val openers = listOf(
        Opener("array, Kotlin") { p, m -> SharedLongArray(p.toString()) { capacity = 4; fileMode = m } },
        Opener("array, Java") { p, m -> SharedLongArray.open(ArrayOptions.of(p).withCapacity(4).withFileMode(m)) },
        Opener("pool, Kotlin") { p, m -> SharedLongPool(p.toString()) { capacity = 4; fileMode = m } },
        Opener("pool, Java") { p, m -> SharedLongPool.open(PoolOptions.of(p).withCapacity(4).withFileMode(m)) },
        Opener("mutex, Kotlin") { p, m -> SharedMutex(p.toString()) { fileMode = m } },
        Opener("mutex, Java") { p, m -> SharedMutex.open(LockOptions.of(p).withFileMode(m)) },
        Opener("rwlock, Kotlin") { p, m -> SharedRwLock(p.toString()) { fileMode = m } },
        Opener("rwlock, Java") { p, m -> SharedRwLock.open(LockOptions.of(p).withFileMode(m)) },
        Opener("seqlock, Kotlin") { p, m -> Seqlock(p.toString()) { fileMode = m } },
        Opener("seqlock, Java") { p, m -> Seqlock.open(LockOptions.of(p).withFileMode(m)) },
        Opener("channel, Kotlin") { p, m -> SharedChannel<Long>(p.toString()) { capacity = 4; fileMode = m } },
        Opener("channel, Java") { p, m ->
            SharedChannel.open(Codecs.LONG, ChannelOptions.of(p).withCapacity(4).withFileMode(m))
        },
        Opener("value, Kotlin") { p, m -> SharedValue<String>(p.toString()) { codec = Codecs.STRING; fileMode = m } },
        Opener("value, Java") { p, m -> SharedValue.open(Codecs.STRING, ValueOptions.of(p).withFileMode(m)) },
        Opener("map, Kotlin") { p, m -> SharedMap<Long, Long>(p.toString()) { fileMode = m } },
        Opener("map, Java") { p, m -> SharedMap.ofLongs(MapOptions.of(p).withFileMode(m)) },
    )

    for (opener in openers) {
        test("${opener.name}: a new file gets the fileMode asked for") {
            for (mode in listOf(0b110_100_000, 0b110_000_000)) { // 0640, 0600
                val path = paths.next(opener.name.substringBefore(',').replace(' ', '-'))
                opener.open(path, mode).use {
                    val expected = if (mode == 0b110_100_000) "rw-r-----" else "rw-------"
                    PosixFilePermissions.toString(Files.getPosixFilePermissions(path)) shouldBe expected
                }
            }
        }

        test("${opener.name}: bits beyond 0777 are refused by name, and no file is made") {
            val path = paths.next("bad-mode")
            val failure = shouldThrow<IllegalArgumentException> { opener.open(path, 0b1_000_000_000).close() }
            failure.message shouldContain "fileMode"
            Files.exists(path) shouldBe false
        }
    }
})
