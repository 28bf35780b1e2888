package io.plenum.bench.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/** Number formats of the report files. */
final class Numbers {

    private Numbers() {
    }

    /** Four significant digits as a plain JSON number (no exponent for ordinary magnitudes). */
    static String json(double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("not a JSON number: " + v);
        }
        if (v == 0) {
            return "0";
        }
        BigDecimal d = new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros();
        return Math.abs(v) < 1e18 && Math.abs(v) >= 1e-6 ? d.toPlainString() : d.toString();
    }

    /** For people: "123.4 M", "2.10 k", "12.3". */
    static String human(double v) {
        double a = Math.abs(v);
        if (a >= 1e9) return three(v / 1e9) + " G";
        if (a >= 1e6) return three(v / 1e6) + " M";
        if (a >= 1e3) return three(v / 1e3) + " k";
        return three(v);
    }

    /** A ratio: "1.23×". */
    static String ratio(double v) {
        return String.format(Locale.ROOT, "%.2f×", v);
    }

    /** Three significant digits, without an exponent. */
    private static String three(double v) {
        double a = Math.abs(v);
        String pattern = a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : "%.2f";
        return String.format(Locale.ROOT, pattern, v);
    }
}
