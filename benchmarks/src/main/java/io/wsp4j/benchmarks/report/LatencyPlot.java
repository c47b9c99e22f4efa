package io.wsp4j.benchmarks.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.DefaultDrawingSupplier;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A PNG of latency distributions: for each benchmark class and parameter set a panel, in it one line
 * per method, latency (µs, log scale) against the percentile on a "nines" scale
 * (x = −log10(1 − p/100): 90 → 1, 99 → 2, 99.9 → 3), so the tail gets as much room as the median.
 * A percentile is drawn only where the run sampled enough invocations to tell it from the maximum.
 */
final class LatencyPlot {
    private static final int WIDTH = 1000;
    private static final int PANEL_HEIGHT = 260;
    private static final Shape[] SHAPES = DefaultDrawingSupplier.createStandardSeriesShapes();
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf),
    };

    private LatencyPlot() {}

    /** Writes the plot of the SampleTime results to {@code png}; false if there were none. */
    static boolean write(List<JmhResult> results, String title, Path png) throws IOException {
        Map<String, XYSeriesCollection> panels = new LinkedHashMap<>();
        Map<String, Color> colours = new LinkedHashMap<>(); // one colour per method, the same in every panel
        for (JmhResult r : Rows.inReadingOrder(results)) {
            if (!r.isLatencyDistribution()) continue;
            String panel = r.className() + (r.paramText().isEmpty() ? "" : " (" + r.paramText() + ")");
            panels.computeIfAbsent(panel, k -> new XYSeriesCollection()).addSeries(series(r));
            colours.computeIfAbsent(r.method(), m -> PALETTE[colours.size() % PALETTE.length]);
        }
        if (panels.isEmpty()) return false;

        NumberAxis percentile = new NumberAxis("percentile");
        percentile.setTickUnit(new NumberTickUnit(1, new PercentileFormat()));
        percentile.setAutoRangeIncludesZero(true);
        CombinedDomainXYPlot combined = new CombinedDomainXYPlot(percentile);
        combined.setGap(12);
        for (Map.Entry<String, XYSeriesCollection> p : panels.entrySet()) {
            LogAxis latency = new LogAxis("µs");
            latency.setNumberFormatOverride(new DecimalFormat("#,##0.#"));
            latency.setSmallestValue(0.01);
            latency.setTickUnit(new NumberTickUnit(1)); // one tick per decade
            XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
            for (int i = 0; i < p.getValue().getSeriesCount(); i++) {
                renderer.setSeriesStroke(i, new BasicStroke(1.6f));
                String method = (String) p.getValue().getSeriesKey(i);
                renderer.setSeriesPaint(i, colours.get(method));
                renderer.setSeriesShape(i, shapeOf(colours, method));
            }
            XYPlot plot = new XYPlot(p.getValue(), null, latency, renderer);
            plot.setBackgroundPaint(Color.WHITE);
            plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
            plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
            plot.addAnnotation(new org.jfree.chart.annotations.XYTitleAnnotation(0.01, 0.98,
                    new TextTitle(p.getKey(), new Font(Font.SANS_SERIF, Font.BOLD, 12)),
                    org.jfree.chart.ui.RectangleAnchor.TOP_LEFT));
            combined.add(plot);
        }
        LegendItemCollection legend = new LegendItemCollection();
        colours.forEach((method, colour) -> legend.add(new LegendItem(method, null, null, null, shapeOf(colours, method), colour)));
        combined.setFixedLegendItems(legend);
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 14), combined, true);
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, 80 + PANEL_HEIGHT * panels.size());
        return true;
    }

    /** The marker of a method: like its colour, the same in every panel. */
    private static Shape shapeOf(Map<String, Color> methods, String method) {
        int index = List.copyOf(methods.keySet()).indexOf(method);
        return SHAPES[index % SHAPES.length];
    }

    private static XYSeries series(JmhResult r) {
        XYSeries s = new XYSeries(r.method(), false);
        for (Map.Entry<Double, Double> p : r.percentiles().entrySet()) {
            double percentile = p.getKey();
            if (percentile >= 100.0) continue;
            // Fewer than one sample above it: the value is the maximum, not this percentile.
            if (r.samples() > 0 && r.samples() * (1 - percentile / 100.0) < 1.0) continue;
            s.add(nines(percentile), r.percentileMicros(percentile));
        }
        return s;
    }

    /** The position of a percentile on the nines scale. */
    static double nines(double percentile) {
        return -Math.log10(1 - percentile / 100.0);
    }

    /** Tick labels of the nines scale: 0 → "0", 1 → "90", 2 → "99", 3 → "99.9". */
    private static final class PercentileFormat extends NumberFormat {
        @Override
        public StringBuffer format(double x, StringBuffer to, FieldPosition pos) {
            double percentile = 100.0 * (1 - Math.pow(10, -x));
            String text = String.format(Locale.ROOT, "%.6f", percentile).replaceAll("0+$", "").replaceAll("\\.$", "");
            return to.append(text);
        }

        @Override
        public StringBuffer format(long x, StringBuffer to, FieldPosition pos) {
            return format((double) x, to, pos);
        }

        @Override
        public Number parse(String source, ParsePosition pos) {
            throw new UnsupportedOperationException("tick labels are only written");
        }
    }
}
