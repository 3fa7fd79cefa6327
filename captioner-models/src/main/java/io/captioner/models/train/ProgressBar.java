package io.captioner.models.train;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A one-line console progress bar with a free-text status (such as the running loss) and an ETA,
 * redrawn in place with a carriage return, at most every 200 ms.
 *
 * <pre>
 * epoch 3/20 [===========>          ] 120/250  48% loss 2.3451 ETA 00:12
 * </pre>
 *
 * <p>Not thread-safe. The output stream is not closed.
 */
public final class ProgressBar {

    private static final int WIDTH = 24;
    private static final long REDRAW_NANOS = 200_000_000L;

    private final PrintStream out;
    private final String label;
    private final long total;
    private final LongSupplier clock;
    private final long startNanos;
    private long lastDraw = Long.MIN_VALUE;

    /**
     * Starts a bar.
     *
     * @param out where to draw (usually {@code System.err})
     * @param label text before the bar
     * @param total the number of units of work, at least 1
     */
    public ProgressBar(PrintStream out, String label, long total) {
        this(out, label, total, System::nanoTime);
    }

    /**
     * Starts a bar with an injectable clock (for tests).
     *
     * @param out where to draw
     * @param label text before the bar
     * @param total the number of units of work, at least 1
     * @param nanoClock monotonic time in nanoseconds
     */
    public ProgressBar(PrintStream out, String label, long total, LongSupplier nanoClock) {
        if (total < 1) {
            throw new IllegalArgumentException("total must be at least 1, found " + total);
        }
        this.out = out;
        this.label = label;
        this.total = total;
        this.clock = nanoClock;
        this.startNanos = nanoClock.getAsLong();
    }

    /**
     * Reports progress; redraws if 200 ms have passed since the last drawing or work is complete.
     *
     * @param done units finished so far, in [0, total]
     * @param status short text after the counts, e.g. {@code "loss 2.3451"}; may be empty
     */
    public void update(long done, String status) {
        long now = clock.getAsLong();
        if (done < total && lastDraw != Long.MIN_VALUE && now - lastDraw < REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        out.print('\r' + render(done, status, now));
        out.flush();
    }

    /**
     * Draws the final state and ends the line.
     *
     * @param status the final status text
     */
    public void finish(String status) {
        out.print('\r' + render(total, status, clock.getAsLong()));
        out.println();
        out.flush();
    }

    /**
     * Renders the line for a given amount of work at a given time, without drawing it.
     *
     * @param done units finished
     * @param status status text
     * @param nowNanos the clock reading
     * @return the line, without carriage return
     */
    String render(long done, String status, long nowNanos) {
        long clamped = Math.max(0, Math.min(done, total));
        int filled = (int) (WIDTH * clamped / total);
        StringBuilder bar = new StringBuilder(WIDTH);
        for (int i = 0; i < WIDTH; i++) {
            bar.append(i < filled ? '=' : (i == filled && clamped < total ? '>' : ' '));
        }
        double elapsed = (nowNanos - startNanos) / 1e9;
        String eta = clamped == 0 ? "--:--" : formatSeconds(elapsed * (total - clamped) / clamped);
        return String.format(Locale.ROOT, "%s [%s] %d/%d %3d%% %s ETA %s", label, bar, clamped, total,
                100 * clamped / total, status == null ? "" : status, eta).replace("  ETA", " ETA");
    }

    /**
     * Formats a duration as {@code mm:ss}, or {@code h:mm:ss} from one hour on.
     *
     * @param seconds a non-negative duration
     * @return the text
     */
    static String formatSeconds(double seconds) {
        long s = Math.round(seconds);
        if (s >= 3600) {
            return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
        }
        return String.format(Locale.ROOT, "%02d:%02d", s / 60, s % 60);
    }
}
