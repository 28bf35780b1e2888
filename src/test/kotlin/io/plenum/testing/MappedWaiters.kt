package io.plenum.testing

import io.plenum.sync.Waiting
import java.lang.foreign.Arena
import java.nio.channels.FileChannel
import java.nio.file.Path
import java.nio.file.StandardOpenOption

/**
 * The waiters counted on the wait word at [offset] of the segment file at [path], read through a
 * mapping of its own: what every process's wakes see, without a hook in the structure under test.
 */
fun mappedWaiters(path: Path, offset: Long): Int = Arena.ofConfined().use { arena ->
    FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE).use { file ->
        Waiting.waiters(file.map(FileChannel.MapMode.READ_WRITE, 0, offset + Waiting.SIZE, arena), offset)
    }
}
