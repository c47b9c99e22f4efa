package io.wsp4j.benchmarks.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The results of one JMH run, read from its JSON ({@code -rf json}), and the JVM it ran on. Only what
 * the report needs is kept: paths of the machine (the {@code jvm} executable, the JMH jar) are not.
 */
public record JmhResults(List<JmhResult> results, String jdkVersion, String vmName, String vmVersion,
        List<String> jvmArgs) {

    /** Secondary metrics that are profiler output, not group members. */
    private static final String GC_ALLOCATION_PER_OP = "gc.alloc.rate.norm";
    /** JMH also lists each percentile as a metric of its own: {@code p0.99}, {@code app:p0.99}. */
    private static final Pattern PERCENTILE_COPY = Pattern.compile("(.*:)?p\\d\\.\\d+");

    public static JmhResults read(Path json) throws IOException {
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        if (root == null || !root.isArray()) throw new IOException(json + ": not a JMH result file (expected a JSON array)");
        List<JmhResult> results = new ArrayList<>();
        String jdk = "", vm = "", vmVersion = "";
        List<String> jvmArgs = List.of();
        for (JsonNode run : root) {
            String benchmark = text(run, "benchmark", json);
            String mode = text(run, "mode", json);
            Map<String, String> params = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = run.path("params").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> p = it.next();
                params.put(p.getKey(), p.getValue().asText());
            }
            JsonNode secondary = run.path("secondaryMetrics");
            double allocated = secondary.has(GC_ALLOCATION_PER_OP) ? secondary.get(GC_ALLOCATION_PER_OP).path("score").asDouble() : Double.NaN;
            // A @Group benchmark reports each member method as a secondary metric with its own numbers;
            // its primary metric mixes the members, so only the members are kept.
            List<JmhResult> members = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = secondary.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> m = it.next();
                if (m.getKey().startsWith("gc.") || m.getKey().startsWith("·")) continue; // profilers
                if (PERCENTILE_COPY.matcher(m.getKey()).matches()) continue; // in scorePercentiles already
                if (!m.getValue().path("scoreUnit").asText().endsWith("/op")) continue;
                members.add(metric(benchmark, m.getKey(), mode, params, m.getValue(), allocated));
            }
            if (members.isEmpty()) {
                String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
                results.add(metric(benchmark, method, mode, params, run.path("primaryMetric"), allocated));
            } else {
                results.addAll(members);
            }
            jdk = run.path("jdkVersion").asText(jdk);
            vm = run.path("vmName").asText(vm);
            vmVersion = run.path("vmVersion").asText(vmVersion);
            List<String> args = new ArrayList<>();
            run.path("jvmArgs").forEach(a -> args.add(a.asText()));
            jvmArgs = List.copyOf(args);
        }
        return new JmhResults(List.copyOf(results), jdk, vm, vmVersion, jvmArgs);
    }

    private static JmhResult metric(String benchmark, String method, String mode, Map<String, String> params,
            JsonNode metric, double allocated) {
        SortedMap<Double, Double> percentiles = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = metric.path("scorePercentiles").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            percentiles.put(Double.parseDouble(p.getKey()), p.getValue().asDouble());
        }
        if (!mode.equals("sample")) percentiles.clear(); // other modes report percentiles of iteration scores
        long samples = 0;
        for (JsonNode fork : metric.path("rawDataHistogram")) {
            for (JsonNode iteration : fork) {
                for (JsonNode bucket : iteration) samples += bucket.get(1).asLong();
            }
        }
        double error = metric.path("scoreError").asDouble(Double.NaN);
        return new JmhResult(benchmark, method, mode, params,
                metric.path("score").asDouble(Double.NaN), error, metric.path("scoreUnit").asText(),
                percentiles, samples, allocated);
    }

    private static String text(JsonNode node, String field, Path json) throws IOException {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) throw new IOException(json + ": a result without \"" + field + "\"");
        return value.asText();
    }
}
