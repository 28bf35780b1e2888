package io.plenum.samples

import io.plenum.array.SharedLongArray
import io.plenum.sync.SharedMutex
import io.plenum.sync.withLock
import io.plenum.sync.withLockBlocking
import kotlinx.coroutines.runBlocking

/** The README's first taste in Kotlin, kept compiling and running by `FirstTasteSpec`. */
fun main() {
    val name = "plenum-taste-${ProcessHandle.current().pid()}"
    SharedLongArray("/dev/shm/$name") { capacity = 1024 }.use { metrics ->
        metrics.incrementAndGet(0)              // one atomic add, seen by every JVM that maps it
        metrics.setRelease(1, 42)               // a release store (Kotlin refuses metrics[1] = 42)
        println(metrics.slice(0, 4).toList())   // a consistent snapshot: [1, 42, 0, 0]
        metrics.unlink()
    }
    SharedMutex("/dev/shm/$name.lock").use { mutex ->
        mutex.withLockBlocking { result -> println("locked; a dead holder was recovered: ${result.recovered()}") }
        runBlocking { mutex.withLock { println("locked without blocking a thread") } }
        java.nio.file.Files.delete(java.nio.file.Path.of("/dev/shm/$name.lock"))
    }
}
