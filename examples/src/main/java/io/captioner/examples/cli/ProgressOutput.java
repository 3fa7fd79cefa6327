package io.captioner.examples.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * The stream that commands draw progress on. When the tool runs from {@link CaptionerCli#main},
 * its error writer stands for the process's {@code System.err}, and progress goes straight there,
 * so that on a terminal the progress bar redraws one line in place. When a caller (a test) gives
 * its own writer, progress goes to that writer as plain lines.
 */
final class ProgressOutput {

    private ProgressOutput() {}

    /**
     * Returns the error writer {@link CaptionerCli#main} hands to the commands.
     *
     * @return an auto-flushing writer on {@code System.err}
     */
    static PrintWriter systemErr() {
        return new SystemErrWriter();
    }

    /**
     * Returns a stream for progress and log lines that ends up where a command's errors go.
     *
     * @param err the command's error writer
     * @return {@code System.err} itself for the writer of {@link #systemErr()}, else an
     *     auto-flushing stream that passes UTF-8 text on to {@code err} at every flush
     */
    static PrintStream of(PrintWriter err) {
        if (err instanceof SystemErrWriter) {
            err.flush();
            return System.err;
        }
        return new PrintStream(new WriterStream(err), true, StandardCharsets.UTF_8);
    }

    /** Marks the writer that stands for the process's stderr. */
    private static final class SystemErrWriter extends PrintWriter {
        SystemErrWriter() {
            super(System.err, true);
        }
    }

    /** Passes bytes written as UTF-8 text to a writer on every flush (never a split character). */
    private static final class WriterStream extends OutputStream {
        private final PrintWriter writer;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

        WriterStream(PrintWriter writer) {
            this.writer = writer;
        }

        @Override
        public void write(int b) {
            buffer.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            buffer.write(b, off, len);
        }

        @Override
        public void flush() {
            writer.print(buffer.toString(StandardCharsets.UTF_8));
            writer.flush();
            buffer.reset();
        }
    }
}
