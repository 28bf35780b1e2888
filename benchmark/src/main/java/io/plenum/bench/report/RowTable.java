package io.plenum.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/** Collects cells from every runner (JMH, cross-process) into rows. */
public final class RowTable {

    private final TreeMap<Row.Key, Row> rows = new TreeMap<>();

    /** Records what {@code column} measured for the row {@code key}; a second value for the same cell is an error. */
    public void put(Row.Key key, String column, Cell cell) {
        rows.computeIfAbsent(key, Row::new).put(column, cell);
    }

    /** Rows sorted by name, then processes, threads and unit. */
    public List<Row> rows() {
        return new ArrayList<>(rows.values());
    }

    /** Every peer column that appears in some row: "heap" first, then in order of name. */
    public List<String> peerNames() {
        Set<String> names = new java.util.TreeSet<>();
        rows.values().forEach(r -> names.addAll(r.peers().keySet()));
        Set<String> ordered = new LinkedHashSet<>();
        if (names.remove("heap")) {
            ordered.add("heap");
        }
        ordered.addAll(names);
        return new ArrayList<>(ordered);
    }

    /** Descriptions of cells that hold no real number; empty when every benchmark measured something. */
    public List<String> unmeasured() {
        List<String> bad = new ArrayList<>();
        for (Row row : rows.values()) {
            row.columns().forEach((column, cell) -> {
                if (!cell.isMeasured()) {
                    bad.add(row.key() + " " + column + " = " + cell);
                }
            });
        }
        return bad;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }
}
