package io.plenum.bench.report;

/** One measured value of a row: what one column (Plenum or a peer) achieved. */
public sealed interface Cell {

    /** Unit of throughput rows: higher is better. */
    String RATE_UNIT = "ops/s";
    /** Unit of latency rows (percentiles of one operation): lower is better. */
    String LATENCY_UNIT = "ns";

    /** The unit of rows this kind of cell belongs to. */
    String unit();

    /** True when every number is finite and positive: a benchmark that measured something. */
    boolean isMeasured();

    /**
     * Operations per second, summed over every thread of every process.
     *
     * @param error half-width of JMH's 99.9% confidence interval in ops/s, or NaN when unknown
     */
    record Rate(double opsPerSecond, double error) implements Cell {
        /** A rate without a known error. */
        public Rate(double opsPerSecond) {
            this(opsPerSecond, Double.NaN);
        }

        @Override
        public String unit() {
            return RATE_UNIT;
        }

        @Override
        public boolean isMeasured() {
            return Double.isFinite(opsPerSecond) && opsPerSecond > 0;
        }
    }

    /** Percentiles of the time one operation took, in nanoseconds. */
    record Latency(double p50, double p99) implements Cell {
        @Override
        public String unit() {
            return LATENCY_UNIT;
        }

        @Override
        public boolean isMeasured() {
            return Double.isFinite(p50) && Double.isFinite(p99) && p50 > 0 && p99 >= p50;
        }
    }

    /**
     * How many times better {@code plenum} did than {@code peer}, so that a value above 1
     * always means Plenum is better: {@code plenum / peer} for rates,
     * {@code peer / plenum} for latencies (compared at p50, or at p99 when asked).
     */
    static double advantage(Cell plenum, Cell peer, boolean atP99) {
        if (plenum instanceof Rate p && peer instanceof Rate q) {
            return p.opsPerSecond() / q.opsPerSecond();
        }
        if (plenum instanceof Latency p && peer instanceof Latency q) {
            return atP99 ? q.p99() / p.p99() : q.p50() / p.p50();
        }
        throw new IllegalArgumentException("cells of different units: " + plenum + " vs " + peer);
    }
}
