package io.captioner.testing;

import io.captioner.CaptionerException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The contract every fuzz target of the project checks (issue 18), shared by the
 * {@code *FuzzTest} classes of all modules.
 *
 * <p>A parser that takes outside bytes may refuse them only with {@link CaptionerException} (bad
 * data), whose message must name what was wrong; every other exception, every {@link Error} (an
 * {@link OutOfMemoryError} above all) and every input slower than {@link #MAX_SECONDS_PER_INPUT}
 * is a finding. The fuzz harnesses pass only valid arguments, so an
 * {@link IllegalArgumentException} escaping from a parser is a finding too, unless a target says
 * it fuzzes the arguments themselves. The time limit is enforced by libFuzzer's {@code -timeout}
 * in fuzzing runs ({@code scripts/fuzz.sh}); regression runs in CI only replay the inputs.
 */
public final class FuzzContract {

    /** The longest one input may take, in seconds (libFuzzer's {@code -timeout} in fuzzing runs). */
    public static final int MAX_SECONDS_PER_INPUT = 1;

    private FuzzContract() {}

    /** A parse step that may throw anything. */
    @FunctionalInterface
    public interface Step {
        /**
         * Runs the step.
         *
         * @throws Exception anything; only {@link CaptionerException} is accepted by the contract
         */
        void run() throws Exception;
    }

    /**
     * Runs one input through a parser and accepts a refusal by {@link CaptionerException} with a
     * message; anything else the step throws propagates, so Jazzer reports it as a finding.
     *
     * @param step the parse of one input
     * @return true if the input was accepted, false if it was refused
     * @throws Exception whatever the step threw other than {@link CaptionerException}
     * @throws AssertionError if a refusal has no message
     */
    public static boolean accepts(Step step) throws Exception {
        try {
            step.run();
            return true;
        } catch (CaptionerException refused) {
            if (refused.getMessage() == null || refused.getMessage().isBlank()) {
                throw new AssertionError("a CaptionerException without a message", refused);
            }
            return false;
        }
    }

    /**
     * Empties a scratch directory (its content, not the directory), so each input starts clean.
     *
     * @param dir an existing directory
     * @throws UncheckedIOException if deleting fails
     */
    public static void clear(Path dir) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    if (exc != null) {
                        throw exc;
                    }
                    if (!d.equals(dir)) {
                        Files.delete(d);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + dir, e);
        }
    }

    /**
     * Splits fuzz input into at most {@code parts} pieces at NUL bytes, so one input can hold
     * several files (for example a caption file and its three split files); the last piece keeps
     * any further NUL bytes.
     *
     * @param data the input
     * @param parts the most pieces, at least 1
     * @return the pieces, between 1 and {@code parts} of them
     */
    public static byte[][] splitAtNul(byte[] data, int parts) {
        java.util.List<byte[]> out = new java.util.ArrayList<>();
        int start = 0;
        for (int i = 0; i < data.length && out.size() < parts - 1; i++) {
            if (data[i] == 0) {
                out.add(java.util.Arrays.copyOfRange(data, start, i));
                start = i + 1;
            }
        }
        out.add(java.util.Arrays.copyOfRange(data, start, data.length));
        return out.toArray(new byte[0][]);
    }
}
