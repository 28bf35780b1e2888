package io.plenum.bench.xp.scenario;

import io.plenum.bench.memory.ShmFiles;
import io.plenum.bench.xp.CrossProcessScenario;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/**
 * Every thread of every worker adds 1 to one long at offset 0 of one mapped file: the most
 * contended cross-process workload there is. Subclasses choose how the add is done.
 * Afterwards the counter must equal the number of operations all workers counted.
 */
abstract class SharedCounterScenario implements CrossProcessScenario {

    static final String FILE = "counter.bin";
    static final long BYTES = 4096;

    private final int processes;

    SharedCounterScenario(int processes) {
        this.processes = processes;
    }

    @Override
    public String row() {
        return "mapped.I64.getAndAdd";
    }

    @Override
    public int processes() {
        return processes;
    }

    @Override
    public void setup(Path dir) throws IOException {
        ShmFiles.create(dir.resolve(FILE), BYTES);
    }

    @Override
    public void verify(Path dir, long totalOps) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment counter = ShmFiles.mapSegment(dir.resolve(FILE), BYTES, arena);
            long value = counter.get(ValueLayout.JAVA_LONG, 0);
            if (value != totalOps) {
                throw new IllegalStateException(id() + ": shared counter is " + value
                        + " but the workers counted " + totalOps + " increments");
            }
        }
    }
}
