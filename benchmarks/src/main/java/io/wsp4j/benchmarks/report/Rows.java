package io.wsp4j.benchmarks.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The order results are read in: by class, then parameter values (numbers as numbers), then method. */
final class Rows {
    private Rows() {}

    static List<JmhResult> inReadingOrder(List<JmhResult> results) {
        List<JmhResult> sorted = new ArrayList<>(results);
        sorted.sort(Comparator.comparing(JmhResult::className)
                .thenComparing(Rows::compareParams)
                .thenComparing(JmhResult::method));
        return sorted;
    }

    private static int compareParams(JmhResult a, JmhResult b) {
        List<String> x = List.copyOf(a.params().values()), y = List.copyOf(b.params().values());
        for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
            int c = compareValues(x.get(i), y.get(i));
            if (c != 0) return c;
        }
        return Integer.compare(x.size(), y.size());
    }

    private static int compareValues(String a, String b) {
        try {
            return Double.compare(Double.parseDouble(a), Double.parseDouble(b));
        } catch (NumberFormatException e) {
            return a.compareTo(b);
        }
    }
}
