package io.captioner.models.cache;

import java.io.PrintWriter;
import java.util.Locale;

/** Receives progress of a long encoding run; implementations must be cheap (called once per batch). */
@FunctionalInterface
public interface Progress {

    /**
     * Reports progress.
     *
     * @param done items finished, including those found done when resuming
     * @param total items in the run
     * @param rate items per second in this session (0 before the first batch finishes)
     */
    void update(int done, int total, double rate);

    /**
     * Returns a listener that ignores all updates.
     *
     * @return a no-op listener
     */
    static Progress none() {
        return (done, total, rate) -> { };
    }

    /**
     * Returns a text progress bar with ETA, redrawn on one line with {@code \r}; a newline follows
     * the final update.
     *
     * @param out where to draw (typically stderr)
     * @param label shown before the bar
     * @return the listener
     */
    static Progress bar(PrintWriter out, String label) {
        return (done, total, rate) -> {
            int width = 30;
            int filled = total == 0 ? width : (int) ((long) done * width / total);
            String eta = rate > 0 ? formatSeconds((total - done) / rate) : "--:--";
            out.printf(Locale.ROOT, "\r%s [%s%s] %d/%d %.1f img/s ETA %s", label, "#".repeat(filled),
                    ".".repeat(width - filled), done, total, rate, eta);
            if (done >= total) {
                out.println();
            }
            out.flush();
        };
    }

    private static String formatSeconds(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%02d:%02d", s / 60, s % 60);
    }
}
