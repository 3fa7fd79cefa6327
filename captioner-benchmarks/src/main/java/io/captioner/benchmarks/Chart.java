package io.captioner.benchmarks;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.CategoryStyler;
import org.knowm.xchart.style.Styler;

/**
 * Draws the decoding results as a PNG with XChart: for every configuration a group of bars, the
 * project's, the naive loop's and the roofline's time per step, on a logarithmic axis. A figure
 * that was not measured has no bar. Headless AWT only.
 */
final class Chart {

    /** Series names, in drawing order. */
    static final String PROJECT = "project decoder + search";
    static final String NAIVE = "naive DJL loop";
    static final String ROOFLINE = "roofline lower bound";

    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x7f7f7f)};

    private Chart() {}

    /**
     * Builds the chart of decoding time per step.
     *
     * @param rows the report's decoding rows, one bar group each
     * @param title the chart's title
     * @return the chart, 1,400 pixels wide
     * @throws IllegalArgumentException if there are no rows
     */
    static CategoryChart build(List<Report.DecodingRow> rows, String title) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("the chart needs at least one decoding row, found none");
        }
        List<String> labels = new ArrayList<>();
        List<Double> project = new ArrayList<>();
        List<Double> naive = new ArrayList<>();
        List<Double> roofline = new ArrayList<>();
        for (Report.DecodingRow r : rows) {
            labels.add(String.format(Locale.ROOT, "%s %s b=%d", r.model(), r.search(), r.batch())
                    + (r.isDefault() ? "" : " " + r.precision() + "/" + r.kernel()));
            project.add(positiveOrNull(r.projectStepUs()));
            naive.add(positiveOrNull(r.naiveStepUs()));
            roofline.add(positiveOrNull(r.rooflineStepUs()));
        }
        CategoryChart chart = new CategoryChartBuilder().width(1400).height(720).title(title)
                .xAxisTitle("model, search, batch").yAxisTitle("µs per decoder step (log scale)").build();
        CategoryStyler styler = chart.getStyler();
        styler.setYAxisLogarithmic(true);
        // XChart's bars start at zero, which a log axis cannot show: start the axis at the decade
        // below the smallest figure instead, and end it at the decade above the largest
        double min = Double.MAX_VALUE;
        double max = 0;
        for (List<Double> series : List.of(project, naive, roofline)) {
            for (Double v : series) {
                if (v != null) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        if (max > 0) {
            styler.setYAxisMin(Math.pow(10, Math.floor(Math.log10(min))));
            styler.setYAxisMax(Math.pow(10, Math.ceil(Math.log10(max))));
        }
        styler.setYAxisDecimalPattern("#,##0.###");
        styler.setXAxisLabelRotation(60);
        styler.setPlotGridVerticalLinesVisible(false);
        styler.setSeriesColors(COLORS);
        styler.setLegendPosition(Styler.LegendPosition.InsideNW);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        styler.setAvailableSpaceFill(0.8);
        styler.setOverlapped(false);
        chart.addSeries(PROJECT, labels, project);
        chart.addSeries(NAIVE, labels, naive);
        chart.addSeries(ROOFLINE, labels, roofline);
        return chart;
    }

    /**
     * Writes the chart of a report's decoding rows as a PNG.
     *
     * @param report the report
     * @param file the PNG to write (any name; no extension is added)
     * @throws IOException if the file cannot be written
     */
    static void write(Report report, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        CategoryChart chart = build(report.decoding, "Decoding time per step, " + Machine.cpuModel() + ", "
                + Runtime.getRuntime().availableProcessors() + " cores");
        try (OutputStream out = Files.newOutputStream(file)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
    }

    /** A log axis cannot place zero or a missing figure: those get no bar. */
    private static Double positiveOrNull(Double v) {
        return v == null || !(v > 0) ? null : v;
    }
}
