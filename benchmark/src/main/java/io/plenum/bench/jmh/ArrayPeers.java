package io.plenum.bench.jmh;

import io.plenum.array.ArrayOptions;
import io.plenum.bench.memory.ShmFiles;
import io.plenum.segment.Backing;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the array suites share: a Plenum array of {@link MappedI64Bench#LENGTH} elements and an Agrona
 * {@link UnsafeBuffer} over a mapped file of the same size, both in {@code /dev/shm} (unlinked at
 * once, so nothing is left behind if the fork dies). Subclasses open their typed array.
 */
public abstract class ArrayPeers {
    protected MappedByteBuffer agronaMapping;
    protected UnsafeBuffer agrona;

    /** Opens the typed array {@code options} describe. */
    protected abstract AutoCloseable openArray(ArrayOptions options);

    @Setup(Level.Trial)
    public void map() throws IOException {
        Path dir = ShmFiles.root();
        Path arrayFile = dir.resolve("plenum-bench-array-" + ProcessHandle.current().pid());
        Path bufferFile = ShmFiles.createTemp(dir, "plenum-bench-agrona-", MappedI64Bench.BYTES);
        try {
            openArray(ArrayOptions.of(Backing.file(arrayFile)).withCapacity(MappedI64Bench.LENGTH));
            agronaMapping = ShmFiles.mapBuffer(bufferFile, MappedI64Bench.BYTES);
            agrona = new UnsafeBuffer(agronaMapping);
        } finally {
            Files.deleteIfExists(arrayFile);
            Files.deleteIfExists(bufferFile);
        }
    }

    @TearDown(Level.Trial)
    public void unmap() {
        IoUtil.unmap(agronaMapping);
    }
}
