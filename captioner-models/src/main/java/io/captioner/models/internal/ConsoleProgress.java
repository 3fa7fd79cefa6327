package io.captioner.models.internal;

import java.io.PrintStream;
import java.time.Duration;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A console progress bar with counts, elapsed time, ETA and a free-text message, drawn by the
 * {@code me.tongfei:progressbar} library in its ASCII style:
 *
 * <pre>
 * epoch 3/20  48% [==========&gt;           ] 120/250 (0:00:06 / 0:00:06) loss 2.3451
 * </pre>
 *
 * <p>On a terminal ({@link #isTerminal}) the line is redrawn in place with a carriage return
 * every {@value #TERMINAL_INTERVAL_MILLIS} ms, by the library's console consumer. Anywhere else
 * (CI logs, a redirected stream, any {@code PrintStream} that is not {@code System.err} or
 * {@code System.out} of a console) it prints a plain line, without carriage returns or ANSI
 * escapes, when it starts, then at most one every {@value #PLAIN_INTERVAL_MILLIS} ms while work
 * advances, and a final one on {@link #close()} (never the same line twice in a row).
 *
 * <p>Drawing happens on the library's background thread; {@link #stepTo} only records the state,
 * so it is cheap enough to call once per batch and may be called from any thread. Internal API:
 * see {@link io.captioner.models.internal}. The output stream is not closed.
 */
public final class ConsoleProgress implements AutoCloseable {

    /** Milliseconds between redraws on a terminal. */
    public static final int TERMINAL_INTERVAL_MILLIS = 200;
    /** Milliseconds between plain lines when output is not a terminal. */
    public static final int PLAIN_INTERVAL_MILLIS = 5_000;
    /** Characters of a plain line; the library fits the bar into this width. */
    static final int PLAIN_WIDTH = 100;

    private final ProgressBar bar;
    private final ClosingConsumer consumer;
    private final long total;
    private boolean closed;

    private ConsoleProgress(ProgressBar bar, ClosingConsumer consumer, long total) {
        this.bar = bar;
        this.consumer = consumer;
        this.total = total;
    }

    /**
     * Starts a bar at zero; the first line is drawn at once.
     *
     * @param out where to draw, usually {@code System.err}
     * @param task the text before the bar, e.g. {@code "epoch 3/20"}
     * @param total the units of work, at least 0
     * @return the running bar; close it when the work ends or fails
     * @throws IllegalArgumentException if {@code total} is negative
     */
    public static ConsoleProgress start(PrintStream out, String task, long total) {
        return start(out, task, 0, total);
    }

    /**
     * Starts a bar for work resumed part-way; elapsed time, speed and ETA count only this session.
     *
     * @param out where to draw, usually {@code System.err}
     * @param task the text before the bar
     * @param done units already finished before this session, in {@code [0, total]}
     * @param total the units of work, at least 0
     * @return the running bar; close it when the work ends or fails
     * @throws IllegalArgumentException if {@code done} or {@code total} is out of range
     */
    public static ConsoleProgress start(PrintStream out, String task, long done, long total) {
        boolean terminal = isTerminal(out);
        return start(out, task, done, total, terminal, terminal ? TERMINAL_INTERVAL_MILLIS : PLAIN_INTERVAL_MILLIS);
    }

    /** Starts a bar with an explicit mode and interval (tests use short or very long intervals). */
    static ConsoleProgress start(PrintStream out, String task, long done, long total, boolean terminal,
            int intervalMillis) {
        if (total < 0) {
            throw new IllegalArgumentException("total must be at least 0, found " + total);
        }
        checkDone(done, total);
        String[] last = {null};
        ProgressBarConsumer drawer = terminal ? new ConsoleProgressBarConsumer(out)
                : new DelegatingProgressBarConsumer(line -> {
                    // close() draws the final state again; a log needs it once
                    if (!line.equals(last[0])) {
                        last[0] = line;
                        out.println(line);
                        out.flush();
                    }
                }, PLAIN_WIDTH);
        ClosingConsumer consumer = new ClosingConsumer(drawer);
        ProgressBar bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(intervalMillis)
                .startsFrom(done, Duration.ZERO).setConsumer(consumer).build();
        return new ConsoleProgress(bar, consumer, total);
    }

    /**
     * Tells whether a stream is an interactive terminal: {@code System.err} or {@code System.out}
     * of a JVM that has a console. Java 17 cannot tell the streams apart, so with a terminal on
     * standard input and output, a redirected {@code System.err} still counts as a terminal.
     *
     * @param out the stream
     * @return true if progress should be redrawn in place
     */
    public static boolean isTerminal(PrintStream out) {
        return (out == System.err || out == System.out) && System.console() != null;
    }

    /**
     * Records progress; the next drawing shows it.
     *
     * @param done units finished so far, in {@code [0, total]}
     * @param message short text after the counts, e.g. {@code "loss 2.3451"}; null or empty for none
     * @throws IllegalArgumentException if {@code done} is out of range
     */
    public void stepTo(long done, String message) {
        checkDone(done, total);
        bar.setExtraMessage(message == null ? "" : message);
        bar.stepTo(done);
    }

    /**
     * Draws the final state (the last {@link #stepTo}), ends the line and stops the background
     * drawing; later calls do nothing. Returns after the final line is written.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        bar.close();
        // If close() comes before the library's first scheduled drawing, the library draws the
        // final state but skips its consumer's close (the terminal's line end).
        consumer.close();
    }

    private static void checkDone(long done, long total) {
        if (done < 0 || done > total) {
            throw new IllegalArgumentException("done must be in [0, " + total + "], found " + done);
        }
    }

    /** Passes drawings on and makes the consumer's close happen exactly once. */
    private static final class ClosingConsumer implements ProgressBarConsumer {
        private final ProgressBarConsumer drawer;
        private boolean closed;

        ClosingConsumer(ProgressBarConsumer drawer) {
            this.drawer = drawer;
        }

        @Override
        public int getMaxRenderedLength() {
            return drawer.getMaxRenderedLength();
        }

        @Override
        public synchronized void accept(String rendered) {
            drawer.accept(rendered);
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                drawer.close();
            }
        }
    }
}
