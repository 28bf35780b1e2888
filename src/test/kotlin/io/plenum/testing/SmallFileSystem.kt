package io.plenum.testing

import java.nio.file.Files
import java.nio.file.Path

/**
 * A file system of its own for a test: `mount -t TYPE -o OPTIONS` on a fresh directory under /tmp
 * (the tests run as root, which may mount), unmounted and removed by [close]. A tmpfs with
 * `size=1m` is a small file system that fills up; a ramfs has no fallocate.
 */
class SmallFileSystem(type: String, options: String? = null) : AutoCloseable {
    val root: Path = Files.createTempDirectory(Path.of("/tmp"), "plenum-$type-")

    init {
        run(listOf("mount", "-t", type) + (if (options != null) listOf("-o", options) else emptyList()) + listOf(type, root.toString()))
    }

    /** Names open fds of this process whose target lies on this file system. */
    fun openFds(): List<String> = Files.list(Path.of("/proc/self/fd")).use { fds ->
        fds.toList().mapNotNull { fd -> runCatching { Files.readSymbolicLink(fd).toString() }.getOrNull() }
            .filter { it.startsWith(root.toString() + "/") }
    }

    /** Lines of /proc/self/maps that map a file of this file system. */
    fun mappings(): List<String> = Files.readAllLines(Path.of("/proc/self/maps")).filter { it.contains(root.toString() + "/") }

    /** Names in the root directory, hidden ones included. */
    fun names(): List<String> = Files.list(root).use { list -> list.map { it.fileName.toString() }.toList() }

    override fun close() {
        run(listOf("umount", root.toString()))
        Files.deleteIfExists(root)
    }

    private fun run(command: List<String>) {
        val process = ProcessBuilder(command).redirectErrorStream(true).start()
        val output = process.inputStream.readAllBytes().decodeToString()
        check(process.waitFor() == 0) { "${command.joinToString(" ")} failed: $output" }
    }
}
