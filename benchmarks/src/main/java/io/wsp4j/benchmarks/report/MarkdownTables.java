package io.wsp4j.benchmarks.report;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Markdown table rows of JMH results, for benchmarks/README.md: latency distributions (SampleTime) as
 * p50/p99/p99.9 in microseconds with the p50 ratio to a reference method measured in the same run,
 * and averages (AverageTime) as score ± the 99.9% interval.
 */
final class MarkdownTables {
    private static final double[] PERCENTILES = {50.0, 99.0, 99.9};

    private MarkdownTables() {}

    /**
     * SampleTime results. {@code reference} matches the method whose p50 at the same parameters, in
     * the same class, is the denominator of the ratio column (null: no ratio column).
     */
    static String latency(List<JmhResult> results, Pattern reference) {
        List<JmhResult> rows = Rows.inReadingOrder(results).stream().filter(JmhResult::isLatencyDistribution).toList();
        if (rows.isEmpty()) return "";
        StringBuilder out = new StringBuilder();
        out.append("| benchmark | method | parameters | p50 µs | p99 µs | p99.9 µs | samples |");
        if (reference != null) out.append(" p50 ÷ reference p50 |");
        out.append('\n').append("|---|---|---|--:|--:|--:|--:|").append(reference != null ? "--:|" : "").append('\n');
        for (JmhResult r : rows) {
            out.append("| ").append(r.className()).append(" | `").append(r.method()).append("` | ")
                    .append(r.paramText().isEmpty() ? "–" : r.paramText()).append(" |");
            for (double p : PERCENTILES) out.append(' ').append(micros(r.percentileMicros(p))).append(" |");
            out.append(' ').append(r.samples() == 0 ? "–" : String.format(Locale.ROOT, "%,d", r.samples())).append(" |");
            if (reference != null) {
                Optional<JmhResult> base = referenceFor(r, rows, reference);
                out.append(' ').append(base.map(b -> ratio(r.percentileMicros(50.0), b.percentileMicros(50.0))).orElse("–"))
                        .append(" |");
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** The reference result for {@code r}: same class and parameters, method matching {@code reference}. */
    static Optional<JmhResult> referenceFor(JmhResult r, List<JmhResult> rows, Pattern reference) {
        return rows.stream()
                .filter(b -> b.className().equals(r.className()) && b.params().equals(r.params()))
                .filter(b -> reference.matcher(b.method()).matches())
                .findFirst();
    }

    /** AverageTime (and other non-sample) results: score ± error, and B/op when measured. */
    static String averages(List<JmhResult> results) {
        List<JmhResult> rows = Rows.inReadingOrder(results).stream().filter(r -> !r.isLatencyDistribution()).toList();
        if (rows.isEmpty()) return "";
        boolean allocation = rows.stream().anyMatch(r -> !Double.isNaN(r.allocatedBytesPerOp()));
        StringBuilder out = new StringBuilder();
        out.append("| benchmark | method | parameters | score | unit |").append(allocation ? " B/op |" : "").append('\n');
        out.append("|---|---|---|--:|---|").append(allocation ? "--:|" : "").append('\n');
        for (JmhResult r : rows) {
            out.append("| ").append(r.className()).append(" | `").append(r.method()).append("` | ")
                    .append(r.paramText().isEmpty() ? "–" : r.paramText()).append(" | ")
                    .append(scoreWithError(r.score(), r.error())).append(" | ").append(r.unit()).append(" |");
            if (allocation) {
                out.append(' ').append(Double.isNaN(r.allocatedBytesPerOp()) ? "–"
                        : String.format(Locale.ROOT, "%.1f", r.allocatedBytesPerOp())).append(" |");
            }
            out.append('\n');
        }
        return out.toString();
    }

    static String micros(double value) {
        if (Double.isNaN(value)) return "–";
        return String.format(Locale.ROOT, value >= 100 ? "%,.0f" : value >= 10 ? "%.1f" : "%.2f", value);
    }

    static String ratio(double value, double reference) {
        if (Double.isNaN(value) || Double.isNaN(reference) || reference == 0) return "–";
        return String.format(Locale.ROOT, "%.2f×", value / reference);
    }

    static String scoreWithError(double score, double error) {
        String s = String.format(Locale.ROOT, score >= 100 ? "%,.0f" : "%.1f", score);
        if (Double.isNaN(error)) return s;
        return s + " ± " + String.format(Locale.ROOT, error >= 100 ? "%,.0f" : "%.1f", error);
    }
}
