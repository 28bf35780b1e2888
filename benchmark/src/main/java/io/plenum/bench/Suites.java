package io.plenum.bench;

import io.plenum.bench.jmh.ArrayBulkBench;
import io.plenum.bench.jmh.ArrayF64Bench;
import io.plenum.bench.jmh.ArrayI64Bench;
import io.plenum.bench.jmh.ChannelHandoffBench;
import io.plenum.bench.jmh.MappedI64Bench;
import io.plenum.bench.jmh.access.AccessPatternBench;
import io.plenum.bench.jmh.channel.ChannelB1KBench;
import io.plenum.bench.jmh.channel.ChannelB64Bench;
import io.plenum.bench.jmh.channel.ChannelMpscBench;
import io.plenum.bench.jmh.channel.ChannelSuspendBench;
import io.plenum.bench.jmh.MutexBench;
import io.plenum.bench.jmh.MutexContendedBench;
import io.plenum.bench.jmh.MapBench;
import io.plenum.bench.jmh.MapInsertBench;
import io.plenum.bench.jmh.PoolBatchBench;
import io.plenum.bench.jmh.PoolI64Bench;
import io.plenum.bench.jmh.PoolStrBench;
import io.plenum.bench.jmh.RwLockBench;
import io.plenum.bench.jmh.SeqlockBench;
import io.plenum.bench.jmh.ValueBench;
import io.plenum.bench.xp.CrossProcessScenario;
import io.plenum.bench.xp.scenario.ChannelBytesAgrona;
import io.plenum.bench.xp.scenario.ChannelBytesPlenum;
import io.plenum.bench.xp.scenario.ChannelHandoffAgrona;
import io.plenum.bench.xp.scenario.ChannelHandoffHeap;
import io.plenum.bench.xp.scenario.ChannelHandoffPlenum;
import io.plenum.bench.xp.scenario.ChannelHandoffSuspendHeap;
import io.plenum.bench.xp.scenario.ChannelHandoffSuspendPlenum;
import io.plenum.bench.xp.scenario.ChannelTransferHeap;
import io.plenum.bench.xp.scenario.ChannelTransferPlenum;
import io.plenum.bench.xp.scenario.MapMixHeap;
import io.plenum.bench.xp.scenario.MapMixPlenum;
import io.plenum.bench.xp.scenario.MappedGetAndAddAgrona;
import io.plenum.bench.xp.scenario.MappedGetAndAddPlenum;
import io.plenum.bench.xp.scenario.MutexContendedHeap;
import io.plenum.bench.xp.scenario.MutexContendedPlenum;
import io.plenum.bench.xp.scenario.PoolAllocFreeHeap;
import io.plenum.bench.xp.scenario.PoolAllocFreePlenum;
import io.plenum.bench.xp.scenario.PoolAllocSetGetFreeHeap;
import io.plenum.bench.xp.scenario.PoolAllocSetGetFreePlenum;
import io.plenum.bench.xp.scenario.PoolAtomicAddHeap;
import io.plenum.bench.xp.scenario.PoolAtomicAddPlenum;
import io.plenum.bench.xp.scenario.PoolHandoffHeap;
import io.plenum.bench.xp.scenario.PoolHandoffPlenum;
import io.plenum.bench.xp.scenario.PoolStrAllocSetGetFreeHeap;
import io.plenum.bench.xp.scenario.PoolStrAllocSetGetFreePlenum;
import io.plenum.bench.xp.scenario.WakeFutex;
import io.plenum.bench.xp.scenario.WakeParkPlenum;
import io.plenum.bench.xp.scenario.WakeSpinAgrona;
import io.plenum.bench.xp.scenario.WakeSpinPlenum;
import io.plenum.bench.xp.scenario.WakeSuspendHeap;
import io.plenum.bench.xp.scenario.WakeSuspendPlenum;
import io.plenum.bench.xp.scenario.WakeValueHeap;
import io.plenum.bench.xp.scenario.WakeValuePlenum;
import io.plenum.bench.xp.scenario.WakeValueSuspendHeap;
import io.plenum.bench.xp.scenario.WakeValueSuspendPlenum;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Every benchmark the harness runs. To add rows, add a class to one of these lists
 * (see benchmark/README.md for the naming convention).
 */
public final class Suites {

    /** JMH suites: classes with {@code @RowPrefix} and {@code @Benchmark} methods named {@code <op>_<column>}. */
    public static final List<Class<?>> JMH = List.of(
            MappedI64Bench.class,
            AccessPatternBench.class,
            MutexBench.class,
            RwLockBench.class,
            SeqlockBench.class,
            MutexContendedBench.class,
            ArrayI64Bench.class,
            ArrayF64Bench.class,
            ArrayBulkBench.class,
            PoolI64Bench.class,
            PoolStrBench.class,
            PoolBatchBench.class,
            ChannelHandoffBench.class,
            ChannelB64Bench.class,
            ChannelB1KBench.class,
            ChannelSuspendBench.class,
            ChannelMpscBench.class,
            ValueBench.class,
            MapBench.class,
            MapInsertBench.class);

    /** Cross-process scenarios: one instance per (row, column, processes). */
    public static final List<CrossProcessScenario> CROSS_PROCESS = List.of(
            new MappedGetAndAddPlenum(2),
            new MappedGetAndAddAgrona(2),
            new MutexContendedPlenum(2, 2),
            new MutexContendedHeap(2, 2),
            new WakeSpinPlenum(),
            new WakeSpinAgrona(),
            new WakeParkPlenum(),
            new WakeFutex("wake.park"),
            new WakeSuspendPlenum(),
            new WakeSuspendHeap(),
            new ChannelTransferPlenum(1, 1, false),
            new ChannelTransferHeap(1, 1, false),
            new ChannelTransferPlenum(4, 1, false),
            new ChannelTransferHeap(4, 1, false),
            new ChannelTransferPlenum(1, 4, false),
            new ChannelTransferHeap(1, 4, false),
            new ChannelTransferPlenum(2, 2, false),
            new ChannelTransferHeap(2, 2, false),
            new ChannelTransferPlenum(1, 1, true),
            new ChannelTransferHeap(1, 1, true),
            new ChannelTransferPlenum(2, 2, true),
            new ChannelTransferHeap(2, 2, true),
            // Channel, 64-byte messages across JVMs against Agrona's rings (issue 12's targets).
            new ChannelBytesPlenum(1),
            new ChannelBytesAgrona(1),
            new ChannelBytesPlenum(4),
            new ChannelBytesAgrona(4),
            // Channel: one-way handoff latency (p50/p99) of a ping-pong between 2 JVMs, per mode.
            new ChannelHandoffPlenum(false),
            new ChannelHandoffAgrona(),
            new ChannelHandoffHeap(false),
            new ChannelHandoffPlenum(true),
            new ChannelHandoffHeap(true),
            new ChannelHandoffSuspendPlenum(),
            new ChannelHandoffSuspendHeap(),
            new WakeFutex("wake.suspend"),
            // Slot pool: Data::Pool::Shared's multi-process rows (2 JVMs on this 2-core machine),
            // contention by capacity, and the free-to-waiting-alloc handoff.
            new PoolAllocFreePlenum(2, 2),
            new PoolAllocFreeHeap(2, 2),
            new PoolAllocFreePlenum(2, 16),
            new PoolAllocFreeHeap(2, 16),
            new PoolAllocFreePlenum(2, 64),
            new PoolAllocFreeHeap(2, 64),
            new PoolAllocFreePlenum(2, 512),
            new PoolAllocFreeHeap(2, 512),
            new PoolAllocFreePlenum(2, 4096),
            new PoolAllocFreeHeap(2, 4096),
            new PoolAllocSetGetFreePlenum(2),
            new PoolAllocSetGetFreeHeap(2),
            new PoolAtomicAddPlenum(2),
            new PoolAtomicAddHeap(2),
            new PoolStrAllocSetGetFreePlenum(2),
            new PoolStrAllocSetGetFreeHeap(2),
            new PoolHandoffPlenum(false),
            new PoolHandoffHeap(false),
            new PoolHandoffPlenum(true),
            new PoolHandoffHeap(true),
            // SharedValue: change-to-wake latency across JVMs, blocking and suspending.
            new WakeValuePlenum(),
            new WakeValueHeap(),
            new WakeValueSuspendPlenum(),
            new WakeValueSuspendHeap(),
            // SharedMap: 90% getLong / 10% putLong on 65,536 keys by 2 JVMs; the heap reference
            // (ConcurrentHashMap) can only be one JVM's threads, so it has a 1p×2t row with a plenum
            // cell of the same shape.
            new MapMixPlenum(2, 1),
            new MapMixPlenum(1, 2),
            new MapMixHeap(2));

    private Suites() {
    }

    /** The cross-process scenario with this {@link CrossProcessScenario#id()}. */
    public static CrossProcessScenario scenario(String id) {
        return CROSS_PROCESS.stream().filter(s -> s.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no cross-process scenario " + id + "; known: "
                        + CROSS_PROCESS.stream().map(CrossProcessScenario::id).collect(Collectors.joining(", "))));
    }
}
