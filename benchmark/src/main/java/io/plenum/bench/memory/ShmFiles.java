package io.plenum.bench.memory;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Files in tmpfs that benchmarks map: the same kind of memory a Plenum segment lives in.
 *
 * <p>Files go to {@code /dev/shm} when it is a writable directory, else to
 * {@code java.io.tmpdir}, mode 0600.
 */
public final class ShmFiles {

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final AtomicLong FRESH = new AtomicLong();

    private ShmFiles() {
    }

    /** The directory benchmark files are created in. */
    public static Path root() {
        Path shm = Path.of("/dev/shm");
        if (Files.isDirectory(shm) && Files.isWritable(shm)) {
            return shm;
        }
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    /** A new zero-filled file of {@code bytes} bytes with a unique name in {@code dir}. */
    public static Path createTemp(Path dir, String prefix, long bytes) throws IOException {
        return resize(Files.createTempFile(dir, prefix, ".bin"), bytes);
    }

    /**
     * A path in {@link #root()} that nothing is at yet, for structures that create their own
     * file there (a Plenum segment opened with {@code CREATE_NEW}).
     */
    public static Path freshPath(String prefix) {
        return root().resolve(prefix + ProcessHandle.current().pid() + "-" + FRESH.incrementAndGet() + ".bin");
    }

    /** A new zero-filled file of {@code bytes} bytes at {@code file}, mode 0600; fails if it exists. */
    public static Path create(Path file, long bytes) throws IOException {
        return resize(Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY)), bytes);
    }

    private static Path resize(Path file, long bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate(1), bytes - 1);
        }
        return file;
    }

    /** The raw FFM path: a read-write shared mapping whose lifetime is {@code arena}'s. */
    public static MemorySegment mapSegment(Path file, long bytes, Arena arena) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, bytes, arena);
        }
    }

    /** The pre-FFM path, for peers built on byte buffers (Agrona). */
    public static MappedByteBuffer mapBuffer(Path file, long bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, bytes);
        }
    }

    /** Deletes {@code dir} and everything under it; missing files are fine. */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
