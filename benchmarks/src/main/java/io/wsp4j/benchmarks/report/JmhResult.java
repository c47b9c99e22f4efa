package io.wsp4j.benchmarks.report;

import java.util.Map;
import java.util.SortedMap;

/**
 * One metric of one JMH result: the primary metric of a benchmark, or the per-method metric of a
 * {@code @Group} benchmark (JMH reports those as secondary metrics named after the method).
 *
 * @param benchmark the full benchmark name ({@code io.wsp4j.benchmarks.EndToEndBenchmark.nioSelector})
 * @param method the method the numbers belong to: the benchmark's own, or the group member's
 * @param mode JMH's short mode name: {@code avgt}, {@code sample}, {@code thrpt}, {@code ss}
 * @param params the {@code @Param} values, in JMH's order
 * @param score the mean, in {@code unit}
 * @param error the half-width of the 99.9% interval, in {@code unit} (NaN when JMH gives none)
 * @param unit JMH's unit, e.g. {@code ns/op}, {@code us/op}
 * @param percentiles SampleTime only: percentile (0–100) → value in {@code unit}; empty otherwise
 * @param samples SampleTime only: how many invocations were sampled; 0 otherwise, and for the members
 *     of a {@code @Group} (JMH's JSON counts only the group as a whole)
 * @param allocatedBytesPerOp {@code gc.alloc.rate.norm} when run with {@code -prof gc}, else NaN
 */
public record JmhResult(String benchmark, String method, String mode, Map<String, String> params,
        double score, double error, String unit, SortedMap<Double, Double> percentiles, long samples,
        double allocatedBytesPerOp) {

    /** The benchmark class's simple name: {@code EndToEndBenchmark}. */
    public String className() {
        String withoutMethod = benchmark.substring(0, benchmark.lastIndexOf('.'));
        return withoutMethod.substring(withoutMethod.lastIndexOf('.') + 1);
    }

    /** The parameters as JMH prints them, {@code sockets=1000}; "" without parameters. */
    public String paramText() {
        StringBuilder text = new StringBuilder();
        params.forEach((name, value) -> text.append(text.isEmpty() ? "" : ", ").append(name).append('=').append(value));
        return text.toString();
    }

    public boolean isLatencyDistribution() {
        return !percentiles.isEmpty();
    }

    /** The value at {@code percentile}, converted to microseconds; NaN if JMH did not report it. */
    public double percentileMicros(double percentile) {
        Double value = percentiles.get(percentile);
        return value == null ? Double.NaN : value * Units.toMicros(unit);
    }
}
