package io.plenum.bench.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One line of the report: one workload (name, unit, processes, threads) measured for
 * Plenum and for each peer. The same name may appear with other units (a latency row
 * beside a throughput row) or another process count (a cross-process variant).
 */
public final class Row {

    /** The column of the library under test; every other column is a peer. */
    public static final String PLENUM = "plenum";

    private final Key key;
    private final Map<String, Cell> columns = new LinkedHashMap<>();

    /** What identifies a row: two results with the same key are cells of one row. */
    public record Key(String name, String unit, int processes, int threads) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = name.compareTo(o.name);
            if (c == 0) c = Integer.compare(processes, o.processes);
            if (c == 0) c = Integer.compare(threads, o.threads);
            if (c == 0) c = Boolean.compare(!Cell.RATE_UNIT.equals(unit), !Cell.RATE_UNIT.equals(o.unit));
            if (c == 0) c = unit.compareTo(o.unit);
            return c;
        }

        /** "1p×1t": how many processes, and how many threads in each. */
        public String shape() {
            return processes + "p×" + threads + "t";
        }
    }

    Row(Key key) {
        this.key = key;
    }

    public Key key() {
        return key;
    }

    public String name() {
        return key.name();
    }

    public String unit() {
        return key.unit();
    }

    public boolean isLatency() {
        return Cell.LATENCY_UNIT.equals(key.unit());
    }

    void put(String column, Cell cell) {
        if (!cell.unit().equals(key.unit())) {
            throw new IllegalArgumentException("row " + key + ": a cell in " + cell.unit() + " for column " + column);
        }
        if (columns.putIfAbsent(column, cell) != null) {
            throw new IllegalStateException("row " + key + ": column " + column + " measured twice");
        }
    }

    /** Every column in insertion order, Plenum included. */
    public Map<String, Cell> columns() {
        return Collections.unmodifiableMap(columns);
    }

    public Optional<Cell> plenum() {
        return Optional.ofNullable(columns.get(PLENUM));
    }

    /** The peer columns only, in the order they were measured. */
    public Map<String, Cell> peers() {
        Map<String, Cell> peers = new LinkedHashMap<>(columns);
        peers.remove(PLENUM);
        return peers;
    }

    /** {@link Cell#advantage} of Plenum over {@code peer}, when both were measured. */
    public OptionalDouble advantageOver(String peer, boolean atP99) {
        Cell mine = columns.get(PLENUM);
        Cell theirs = columns.get(peer);
        if (mine == null || theirs == null || peer.equals(PLENUM)) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(Cell.advantage(mine, theirs, atP99));
    }
}
