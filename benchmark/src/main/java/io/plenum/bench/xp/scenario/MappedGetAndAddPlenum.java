package io.plenum.bench.xp.scenario;

import io.plenum.bench.memory.ShmFiles;
import io.plenum.bench.report.Row;
import io.plenum.bench.xp.Operation;
import io.plenum.bench.xp.WorkerContext;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code plenum} column of the cross-process {@code mapped.I64.getAndAdd} row: the raw FFM
 * path (a {@code FileChannel.map} segment and a long VarHandle), as in the JMH suite.
 */
public final class MappedGetAndAddPlenum extends SharedCounterScenario {

    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle().withInvokeExactBehavior();

    public MappedGetAndAddPlenum(int processes) {
        super(processes);
    }

    @Override
    public String column() {
        return Row.PLENUM;
    }

    @Override
    public Operation prepare(WorkerContext ctx) throws IOException {
        // Mapped for the life of the worker JVM, which exits when it has reported.
        MemorySegment counter = ShmFiles.mapSegment(ctx.dir().resolve(FILE), BYTES, Arena.ofShared());
        return () -> (long) LONG.getAndAdd(counter, 0L, 1L);
    }
}
