package io.captioner.io;

import io.captioner.CaptionerException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Strict UTF-8 text reading: a byte sequence that is not UTF-8 is an error naming the file, the
 * byte offset and the line, never a silent replacement character. A leading byte-order mark is
 * dropped. The whole file is read into memory, so this is meant for annotation and vocabulary
 * files (megabytes), not for bulk data.
 */
public final class Utf8Files {

    private static final char BYTE_ORDER_MARK = '\uFEFF';

    private Utf8Files() {}

    /**
     * Reads a whole file as text; line ends ({@code \n}, {@code \r\n}, {@code \r}) are kept.
     *
     * @param file the file to read
     * @return its text without a leading byte-order mark
     * @throws CaptionerException naming the file if it is missing or not a regular file, cannot be
     *     read, or is not valid UTF-8 (then also the byte offset and 1-based line of the first bad
     *     byte)
     */
    public static String readString(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new CaptionerException("file " + file + " does not exist or is not a regular file");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new CaptionerException("cannot read " + file + ": " + e.getMessage(), e);
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        // UTF-8 never decodes to more chars than it has bytes, so one pass cannot overflow.
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw new CaptionerException("file " + file + " is not valid UTF-8 text (byte offset " + in.position()
                    + ", line " + (lineBreaks(out.flip()) + 1) + ")");
        }
        out.flip();
        if (out.hasRemaining() && out.charAt(0) == BYTE_ORDER_MARK) {
            out.position(1);
        }
        return out.toString();
    }

    /**
     * Reads a file's lines, split at {@code \n}, {@code \r\n} or {@code \r} as
     * {@link java.io.BufferedReader#readLine()} does: the line ends are dropped and a final line
     * end does not start another line.
     *
     * @param file the file to read
     * @return the lines, without a leading byte-order mark; empty for an empty file
     * @throws CaptionerException as {@link #readString(Path)} does
     */
    public static List<String> readLines(Path file) {
        String text = readString(file);
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                lines.add(text.substring(start, i));
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        if (start < text.length()) {
            lines.add(text.substring(start));
        }
        return lines;
    }

    /** Counts line ends ({@code \r\n} once) in decoded text. */
    private static int lineBreaks(CharSequence text) {
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || (c == '\r' && (i + 1 == text.length() || text.charAt(i + 1) != '\n'))) {
                n++;
            }
        }
        return n;
    }
}
