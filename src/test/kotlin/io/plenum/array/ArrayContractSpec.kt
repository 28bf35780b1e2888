package io.plenum.array

import io.kotest.core.spec.style.FunSpec
import io.plenum.linux.Processes
import io.plenum.segment.Backing
import io.plenum.testing.TempPaths
import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.atomic.AtomicInteger

/** The same contract on every backing: a file, a POSIX shm name, a memfd, anonymous memory. */
class ArrayContractSpec : FunSpec({
    val paths = TempPaths("array-contract")
    val shmNames = mutableListOf<String>()
    val counter = AtomicInteger()
    afterSpec {
        paths.close()
        shmNames.forEach { Files.deleteIfExists(Path.of("/dev/shm", it)) }
    }

    include(arrayContract("file") { Backing.file(paths.next("array")) })
    include(arrayContract("shm") {
        val name = "plenum-array-contract-${Processes.currentPid()}-${counter.incrementAndGet()}"
        shmNames += name
        Backing.shm(name)
    })
    include(arrayContract("memfd") { Backing.memfd("plenum-array-contract") })
    include(arrayContract("anonymous") { Backing.anonymous() })
})
