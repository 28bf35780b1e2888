package io.plenum.bench.xp.scenario;

import io.plenum.bench.memory.ShmFiles;
import io.plenum.bench.xp.Operation;
import io.plenum.bench.xp.WorkerContext;
import java.io.IOException;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * {@code agrona} column of the cross-process {@code mapped.I64.getAndAdd} row: the same
 * counter through {@link UnsafeBuffer#getAndAddLong} over a {@code MappedByteBuffer}.
 */
public final class MappedGetAndAddAgrona extends SharedCounterScenario {

    public MappedGetAndAddAgrona(int processes) {
        super(processes);
    }

    @Override
    public String column() {
        return "agrona";
    }

    @Override
    public Operation prepare(WorkerContext ctx) throws IOException {
        UnsafeBuffer counter = new UnsafeBuffer(ShmFiles.mapBuffer(ctx.dir().resolve(FILE), BYTES));
        return () -> counter.getAndAddLong(0, 1L);
    }
}
