package dev.edgeweave.testbed.report;

import dev.edgeweave.testbed.engine.RunResult;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.io.IOException;
import java.nio.file.Path;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The report's charts, drawn headless with JFreeChart. Each builder is a pure function of its data and returns
 * the chart; {@link #save} renders it to PNG.
 *
 * <p>Latency and slowdown span orders of magnitude between the best and the worst policy, so a value axis
 * turns logarithmic when its largest value is more than {@value #LOG_RATIO} times its smallest: the good
 * policies stay readable, at the cost of bar lengths no longer being proportional.
 */
final class Charts {

    static {
        System.setProperty("java.awt.headless", "true");
    }

    static final double LOG_RATIO = 30;
    static final int WIDTH = 1200;

    /** Tableau 20, reordered so that the first ten are the strong tones: distinguishable on white. */
    private static final Color[] PALETTE = {
        new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44), new Color(214, 39, 40),
        new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194), new Color(127, 127, 127),
        new Color(188, 189, 34), new Color(23, 190, 207), new Color(174, 199, 232), new Color(255, 187, 120),
        new Color(152, 223, 138), new Color(255, 152, 150), new Color(197, 176, 213), new Color(196, 156, 148),
        new Color(247, 182, 210), new Color(199, 199, 199), new Color(219, 219, 141), new Color(158, 218, 229)};

    private static final Font TITLE = new Font("SansSerif", Font.BOLD, 18);
    private static final Font LABEL = new Font("SansSerif", Font.PLAIN, 14);
    private static final Font TICK = new Font("SansSerif", Font.PLAIN, 12);

    private Charts() {
    }

    /** Mean and p95 latency per policy, grouped horizontal bars, best mean first. */
    static JFreeChart latency(List<PolicySummary> policies) {
        List<PolicySummary> sorted = new ArrayList<>(policies);
        sorted.sort(Comparator.comparingDouble(PolicySummary::meanLatencyS));
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (PolicySummary p : sorted) {
            data.addValue(finite(p.meanLatencyS()), "mean", p.name());
            data.addValue(finite(p.p95LatencyS()), "p95", p.name());
        }
        JFreeChart chart = ChartFactory.createBarChart("Latency per policy (rejections count at their SLO)",
                "policy", "latency (s)", data, PlotOrientation.HORIZONTAL, true, false, false);
        styleBars(chart, data, "latency (s)");
        BarRenderer renderer = (BarRenderer) chart.getCategoryPlot().getRenderer();
        renderer.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}",
                new Significant(3)));
        renderer.setDefaultItemLabelsVisible(true);
        renderer.setDefaultItemLabelFont(new Font("SansSerif", Font.PLAIN, 10));
        return chart;
    }

    /** Height that gives each bar of a grouped bar chart room for a label. */
    static int barChartHeight(int categories, int seriesPerCategory) {
        return Math.max(400, 160 + categories * (seriesPerCategory * 11 + 14));
    }

    /** Per-class mean slowdown per policy, grouped horizontal bars, policies in the given order. */
    static JFreeChart classSlowdown(List<PolicySummary> policies) {
        List<String> classes = new ArrayList<>();
        for (PolicySummary p : policies) {
            for (String c : p.perClass().keySet()) {
                if (!classes.contains(c)) {
                    classes.add(c);
                }
            }
        }
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (PolicySummary p : policies) {
            for (String c : classes) {
                PolicySummary.ClassStats s = p.perClass().get(c);
                data.addValue(s == null ? null : finite(s.meanSlowdown()), label(c), p.name());
            }
        }
        JFreeChart chart = ChartFactory.createBarChart("Mean slowdown per class (latency / alone on the reference GPU)",
                "policy", "mean slowdown (×)", data, PlotOrientation.HORIZONTAL, true, false, false);
        styleBars(chart, data, "mean slowdown (×)");
        return chart;
    }

    /**
     * The 30-second rolling mean latency over arrival time, one line per run, with a marker at the event.
     *
     * @param runs         the runs to draw, in legend order
     * @param eventSeconds the event's city second, {@code NaN} for none
     */
    static JFreeChart timeline(List<RunResult> runs, double eventSeconds) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (RunResult r : runs) {
            XYSeries series = new XYSeries(r.policy(), false, true);
            if (r.size() > 0) {
                double[] latency = Summaries.effectiveLatency(r);
                double start = Math.floor(r.arrival()[0]);
                double span = Math.max(1, r.lastArrival() - start);
                // At most ~3000 points a line: a day-long run still draws in a moment and reads the same.
                double step = Math.max(1, Math.ceil(span / 3000));
                int points = (int) (span / step) + 1;
                double[] rolling = Recovery.rollingMean(r.arrival(), latency, Recovery.WINDOW_SECONDS, start,
                        step, points);
                for (int i = 0; i < points; i++) {
                    if (!Double.isNaN(rolling[i])) {
                        series.add(start + i * step, rolling[i]);
                    }
                }
            }
            data.addSeries(series);
        }
        JFreeChart chart = ChartFactory.createXYLineChart("30-s rolling mean latency, by arrival time (seed 1)",
                "city time (s)", "rolling mean latency (s)", data, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        styleXY(chart, data.getSeriesCount(), names(runs));
        NumberAxis y = (NumberAxis) plot.getRangeAxis();
        y.setAutoRangeIncludesZero(true);
        if (!Double.isNaN(eventSeconds)) {
            ValueMarker marker = new ValueMarker(eventSeconds, Color.BLACK,
                    new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f},
                            0f));
            marker.setLabel("event");
            marker.setLabelFont(LABEL);
            marker.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
            marker.setLabelTextAnchor(TextAnchor.TOP_LEFT);
            plot.addDomainMarker(marker);
        }
        return chart;
    }

    /** Mean latency against load, one line per policy, logarithmic latency axis. */
    static JFreeChart sweep(ReportInput.Sweep sweep) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Map.Entry<String, double[]> e : sweep.meanLatencyS().entrySet()) {
            XYSeries series = new XYSeries(e.getKey(), false, true);
            for (int i = 0; i < sweep.loads().length; i++) {
                double v = e.getValue()[i];
                if (v > 0 && !Double.isInfinite(v)) {
                    series.add(sweep.loads()[i], v);
                }
            }
            data.addSeries(series);
        }
        JFreeChart chart = ChartFactory.createXYLineChart("Mean latency against load",
                "load (× the scenario's reference arrival rate)", "mean latency (s)", data,
                PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (int i = 0; i < data.getSeriesCount(); i++) {
            XYSeries series = data.getSeries(i);
            if (!series.isEmpty()) {
                min = Math.min(min, series.getMinY());
                max = Math.max(max, series.getMaxY());
            }
        }
        if (max > 0) {
            plot.setRangeAxis(logAxis("mean latency (s, log scale)", min, max));
            plot.setRangeMinorGridlinesVisible(true);
            plot.setRangeMinorGridlinePaint(new Color(235, 235, 235));
        }
        styleXY(chart, data.getSeriesCount(), new ArrayList<>(sweep.meanLatencyS().keySet()));
        XYLineAndShapeRenderer renderer = (XYLineAndShapeRenderer) plot.getRenderer();
        renderer.setDefaultShapesVisible(true);
        return chart;
    }

    /**
     * A logarithmic axis: ticks at whole decades (1, 10, 100) with unlabelled ticks at 2…9 when the data span
     * more than one and a half decades, where JFreeChart's automatic ticks land on values like 6309.573;
     * automatic ticks otherwise, so that a narrow range still gets labels.
     */
    static LogAxis logAxis(String label, double min, double max) {
        LogAxis axis = new LogAxis(label);
        axis.setSmallestValue(min / 2);
        axis.setNumberFormatOverride(new Significant(3));
        if (max / min > LOG_RATIO) {
            axis.setTickUnit(new NumberTickUnit(1, new Significant(3), 9), false, true);
            axis.setMinorTickMarksVisible(true);
        }
        return axis;
    }

    static void save(JFreeChart chart, Path file, int width, int height) throws IOException {
        ChartUtils.saveChartAsPNG(file.toFile(), chart, width, height);
    }

    private static void styleBars(JFreeChart chart, DefaultCategoryDataset data, String valueLabel) {
        styleCommon(chart);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(200, 200, 200));
        CategoryAxis categories = plot.getDomainAxis();
        categories.setLabelFont(LABEL);
        categories.setTickLabelFont(TICK);
        categories.setCategoryMargin(0.25);
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (int r = 0; r < data.getRowCount(); r++) {
            for (int c = 0; c < data.getColumnCount(); c++) {
                Number n = data.getValue(r, c);
                if (n != null && n.doubleValue() > 0) {
                    min = Math.min(min, n.doubleValue());
                    max = Math.max(max, n.doubleValue());
                }
            }
        }
        if (max > 0 && max / min > LOG_RATIO) {
            plot.setRangeAxis(logAxis(valueLabel + ", log scale", min, max));
            plot.setRangeMinorGridlinesVisible(true);
            plot.setRangeMinorGridlinePaint(new Color(235, 235, 235));
        }
        // Horizontal bars read left to right; their value axis belongs under them, like any x-axis.
        plot.setRangeAxisLocation(AxisLocation.BOTTOM_OR_LEFT);
        ValueAxis values = plot.getRangeAxis();
        values.setLabelFont(LABEL);
        values.setTickLabelFont(TICK);
        BarRenderer renderer = (BarRenderer) plot.getRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setItemMargin(0.05);
        for (int s = 0; s < data.getRowCount(); s++) {
            renderer.setSeriesPaint(s, PALETTE[s % PALETTE.length]);
        }
    }

    private static void styleXY(JFreeChart chart, int series, List<String> names) {
        styleCommon(chart);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(200, 200, 200));
        plot.setRangeGridlinePaint(new Color(200, 200, 200));
        for (ValueAxis axis : List.of(plot.getDomainAxis(), plot.getRangeAxis())) {
            axis.setLabelFont(LABEL);
            axis.setTickLabelFont(TICK);
        }
        XYLineAndShapeRenderer renderer = (XYLineAndShapeRenderer) plot.getRenderer();
        renderer.setDefaultShapesVisible(false);
        for (int s = 0; s < series; s++) {
            String name = names.get(s);
            Paint paint = PALETTE[s % PALETTE.length];
            renderer.setSeriesPaint(s, paint);
            // edgeweave stands out; on-demand variants are dashed beside their static twins.
            float width = name.equals("edgeweave") ? 3.5f : 1.8f;
            renderer.setSeriesStroke(s, name.endsWith("/ondemand")
                    ? new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
                    new float[] {8f, 5f}, 0f)
                    : new BasicStroke(width));
        }
    }

    private static void styleCommon(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.getTitle().setFont(TITLE);
        LegendTitle legend = chart.getLegend();
        if (legend != null) {
            legend.setItemFont(TICK);
            legend.setPosition(RectangleEdge.BOTTOM);
        }
    }

    private static List<String> names(List<RunResult> runs) {
        List<String> out = new ArrayList<>();
        for (RunResult r : runs) {
            out.add(r.policy());
        }
        return out;
    }

    /** {@code CHAT} → {@code chat}, {@code VISION_LANGUAGE} → {@code vision-language}. */
    static String label(String modelClass) {
        return modelClass.toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** Formats a number to {@code digits} significant digits, plain and without trailing zeros: 0.848, 125, 6310. */
    static final class Significant extends NumberFormat {

        private static final long serialVersionUID = 1L;
        private final MathContext context;

        Significant(int digits) {
            this.context = new MathContext(digits, RoundingMode.HALF_EVEN);
        }

        @Override
        public StringBuffer format(double number, StringBuffer out, FieldPosition pos) {
            if (Double.isNaN(number) || Double.isInfinite(number)) {
                return out.append(number);
            }
            if (number == 0) {
                return out.append('0');
            }
            return out.append(new BigDecimal(number).round(context).stripTrailingZeros().toPlainString());
        }

        @Override
        public StringBuffer format(long number, StringBuffer out, FieldPosition pos) {
            return format((double) number, out, pos);
        }

        @Override
        public Number parse(String source, ParsePosition pos) {
            throw new UnsupportedOperationException("format only");
        }
    }

    private static Double finite(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? null : v;
    }
}
