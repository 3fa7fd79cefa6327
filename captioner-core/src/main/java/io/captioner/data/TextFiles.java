package io.captioner.data;

import io.captioner.CaptionerException;
import io.captioner.io.AtomicFiles;
import io.captioner.io.Utf8Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Error formatting, caption clean-up and atomic text writes of the dataset readers; reading is
 * {@link Utf8Files}'s strict UTF-8.
 */
final class TextFiles {

    private static final int MAX_QUOTED = 80;

    private TextFiles() {}

    /** Builds the standard message: file, 1-based line, the rule, and the (truncated) text found. */
    static CaptionerException error(Path file, int line, String rule, String found) {
        return new CaptionerException(file + " line " + line + ": " + rule + "; found '"
                + truncate(found) + "'");
    }

    static String truncate(String s) {
        String visible = s.replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n");
        return visible.length() <= MAX_QUOTED ? visible : visible.substring(0, MAX_QUOTED) + "...";
    }

    /** Trims a caption and replaces each tab or line break inside it with a space. */
    static String cleanCaption(String raw) {
        return raw.replace("\r\n", " ").replace('\r', ' ').replace('\n', ' ').replace('\t', ' ').strip();
    }

    /** Writes UTF-8 text atomically (temporary file, then rename) via {@link AtomicFiles}. */
    static void writeAtomically(Path target, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(target, out -> out.write(bytes));
    }
}
