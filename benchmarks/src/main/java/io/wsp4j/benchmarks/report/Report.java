package io.wsp4j.benchmarks.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns a JMH result file ({@code -rf json}) into the report of benchmarks/README.md: markdown table
 * rows on standard output and, when asked, a PNG of the latency distributions.
 *
 * <pre>
 *   Report RESULTS.json [--png FILE] [--reference REGEX] [--title TEXT]
 * </pre>
 *
 * {@code --reference} names the method (a regular expression over method names) whose p50, at the same
 * parameters in the same class, the other p50s are divided by; e.g. {@code nioSelector}.
 */
public final class Report {
    private Report() {}

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true"); // a PNG needs no display
        try {
            System.exit(run(args));
        } catch (IllegalArgumentException e) {
            System.err.println("report: " + e.getMessage() + " (see --help)");
            System.exit(2);
        } catch (IOException e) {
            System.err.println("report: " + e.getMessage());
            System.exit(1);
        }
    }

    static int run(String[] args) throws IOException {
        Path json = null, png = null;
        Pattern reference = null;
        String title = "wsp4j dispatch latency";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--png" -> png = Path.of(value(args, ++i, "--png"));
                case "--reference" -> reference = Pattern.compile(value(args, ++i, "--reference"));
                case "--title" -> title = value(args, ++i, "--title");
                case "-h", "--help" -> {
                    System.out.println("usage: report RESULTS.json [--png FILE] [--reference METHOD-REGEX] [--title TEXT]");
                    return 0;
                }
                default -> {
                    if (args[i].startsWith("-") || json != null) {
                        System.err.println("report: unexpected argument " + args[i] + " (see --help)");
                        return 2;
                    }
                    json = Path.of(args[i]);
                }
            }
        }
        if (json == null) {
            System.err.println("report: which JMH result file? (see --help)");
            return 2;
        }
        JmhResults run = JmhResults.read(json);
        if (run.results().isEmpty()) {
            System.err.println("report: " + json + " holds no results");
            return 1;
        }
        System.out.printf(Locale.ROOT, "JDK %s (%s %s), JVM options %s%n%n", run.jdkVersion(), run.vmName(),
                run.vmVersion(), String.join(" ", run.jvmArgs()));
        String latency = MarkdownTables.latency(run.results(), reference);
        if (!latency.isEmpty()) System.out.println(latency);
        String averages = MarkdownTables.averages(run.results());
        if (!averages.isEmpty()) System.out.println(averages);
        if (png != null) {
            if (LatencyPlot.write(run.results(), title, png)) {
                System.err.println("report: wrote " + png);
            } else {
                System.err.println("report: no SampleTime results, no plot");
            }
        }
        return 0;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) throw new IllegalArgumentException(option + " needs a value");
        return args[i];
    }
}
