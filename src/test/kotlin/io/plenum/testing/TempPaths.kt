package io.plenum.testing

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.atomic.AtomicLong

/** Unique paths under /dev/shm for a test, removed by [deleteAll]. */
class TempPaths(prefix: String) : AutoCloseable {
    private val directory: Path = Files.createTempDirectory(Path.of("/dev/shm"), "plenum-$prefix-")
    private val counter = AtomicLong()

    /** A fresh path in this test's directory that does not exist yet. */
    fun next(name: String = "segment"): Path = directory.resolve("$name-${counter.incrementAndGet()}")

    val root: Path get() = directory

    override fun close() {
        directory.toFile().deleteRecursively()
    }
}
