package io.captioner.benchmarks;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Draws the decoding results as a PNG: for every configuration, horizontal bars of the project's,
 * the naive loop's and the roofline's time per step on a logarithmic axis. Headless AWT only.
 */
final class Chart {

    private static final Color PROJECT = new Color(0x1f77b4);
    private static final Color NAIVE = new Color(0xd62728);
    private static final Color ROOF = new Color(0x7f7f7f);

    private Chart() {}

    static void write(Report report, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<Report.DecodingRow> rows = report.decoding;
        int bar = 7;
        int group = 3 * bar + 6;
        int left = 190;
        int top = 60;
        int width = 1100;
        int plot = width - left - 70;
        int height = top + rows.size() * group + 60;
        double min = Double.MAX_VALUE;
        double max = 0;
        for (Report.DecodingRow r : rows) {
            for (Double v : new Double[] {r.projectStepUs(), r.naiveStepUs(), r.rooflineStepUs()}) {
                if (v != null && v > 0) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        double lo = Math.floor(Math.log10(Math.max(min, 1e-3)));
        double hi = Math.ceil(Math.log10(Math.max(max, 10)));
        if (hi <= lo) {
            hi = lo + 1;
        }
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            g.drawString("Decoding time per step (µs, log scale), " + Machine.cpuModel() + ", "
                    + Runtime.getRuntime().availableProcessors() + " cores", left, 22);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            legend(g, left, 42, PROJECT, "project decoder + search");
            legend(g, left + 200, 42, NAIVE, "naive DJL loop");
            legend(g, left + 340, 42, ROOF, "roofline lower bound");
            g.setStroke(new BasicStroke(1f));
            for (int d = (int) lo; d <= (int) hi; d++) {
                int x = left + (int) ((d - lo) / (hi - lo) * plot);
                g.setColor(new Color(0xdddddd));
                g.drawLine(x, top - 4, x, top + rows.size() * group);
                g.setColor(Color.DARK_GRAY);
                g.drawString(label(Math.pow(10, d)), x - 10, top + rows.size() * group + 16);
            }
            int y = top;
            for (Report.DecodingRow r : rows) {
                g.setColor(Color.BLACK);
                g.drawString(String.format(Locale.ROOT, "%s %s b=%d", r.model(), r.search(), r.batch()), 8,
                        y + group / 2 + 4);
                bar(g, left, y, bar, plot, lo, hi, r.projectStepUs(), PROJECT);
                bar(g, left, y + bar, bar, plot, lo, hi, r.naiveStepUs(), NAIVE);
                bar(g, left, y + 2 * bar, bar, plot, lo, hi, r.rooflineStepUs(), ROOF);
                y += group;
            }
        } finally {
            g.dispose();
        }
        if (!ImageIO.write(img, "png", file.toFile())) {
            throw new IOException(file + ": no PNG writer available");
        }
    }

    private static void bar(Graphics2D g, int left, int y, int h, int plot, double lo, double hi, Double v,
            Color c) {
        if (v == null || v <= 0) {
            return;
        }
        int w = (int) Math.max(1, (Math.log10(v) - lo) / (hi - lo) * plot);
        g.setColor(c);
        g.fillRect(left, y, w, h - 1);
    }

    private static void legend(Graphics2D g, int x, int y, Color c, String text) {
        g.setColor(c);
        g.fillRect(x, y - 10, 14, 10);
        g.setColor(Color.BLACK);
        g.drawString(text, x + 18, y);
    }

    private static String label(double v) {
        return v >= 1 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.3g", v);
    }
}
