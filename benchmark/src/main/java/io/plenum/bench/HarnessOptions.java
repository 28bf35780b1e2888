package io.plenum.bench;

import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Command line of the harness (what {@code benchmark/run} passes through).
 *
 * @param quick smoke pass: few, short iterations; proves every benchmark runs and measures
 * @param only  run only rows whose name this pattern finds a match in; null for all
 * @param out   where latest.json, latest.md and latest.png are written
 * @param list  print the planned rows and exit without measuring
 * @param forks JMH forks per benchmark; 0 for the settings' own (1)
 */
record HarnessOptions(boolean quick, Pattern only, Path out, boolean list, int forks) {

    static final String USAGE = """
            usage: benchmark/run [--quick] [--only REGEX] [--forks N] [--out DIR] [--list]
              --quick        smoke pass (1 fork, 1 warm-up and 2 measured iterations of 300 ms;
                             1 s cross-process runs): checks that everything runs, numbers are rough
              --only REGEX   only rows whose name matches REGEX (Java regex, partial match),
                             e.g. --only 'mapped\\.I64\\.(get|set)$'
              --forks N      JMH forks per benchmark (default 1): more forks narrow the error of rows
                             whose JIT outcome varies from JVM to JVM
              --out DIR      directory for latest.json, latest.md, latest.png (default: benchmark/results)
              --list         print the rows that would run, and exit
              --no-build     (benchmark/run only) reuse the jar of an earlier build
            """;

    /** Thrown for a command line that cannot be understood; the message says why. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    static HarnessOptions parse(String[] args) throws UsageException {
        boolean quick = false;
        boolean list = false;
        Pattern only = null;
        int forks = 0;
        Path out = Path.of("benchmark", "results");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--list" -> list = true;
                case "--only" -> only = pattern(value(args, ++i, "--only"));
                case "--out" -> out = Path.of(value(args, ++i, "--out"));
                case "--forks" -> forks = forks(value(args, ++i, "--forks"));
                case "-h", "--help" -> throw new UsageException("");
                default -> throw new UsageException("unknown option: " + args[i]);
            }
        }
        return new HarnessOptions(quick, only, out, list, forks);
    }

    /** True if the row {@code name} is selected. */
    boolean selects(String name) {
        return only == null || only.matcher(name).find();
    }

    private static String value(String[] args, int i, String option) throws UsageException {
        if (i >= args.length) {
            throw new UsageException(option + " needs a value");
        }
        return args[i];
    }

    private static int forks(String value) throws UsageException {
        try {
            int forks = Integer.parseInt(value);
            if (forks >= 1 && forks <= 10) {
                return forks;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("--forks: must be a whole number from 1 to 10: " + value);
    }

    private static Pattern pattern(String regex) throws UsageException {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new UsageException("--only: not a regular expression: " + e.getMessage());
        }
    }
}
