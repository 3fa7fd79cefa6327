package io.captioner.data;

import io.captioner.CaptionerException;
import io.captioner.io.AtomicFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Strict UTF-8 text reading (BOM and CRLF tolerated), error formatting and atomic writes. */
final class TextFiles {

    private static final int MAX_QUOTED = 80;

    private TextFiles() {}

    /** Reads a whole file as text, dropping a leading byte-order mark; CRLF is kept. */
    static String readString(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new CaptionerException("file " + file + " does not exist or is not a regular file");
        }
        StringBuilder sb = new StringBuilder();
        try (BufferedReader reader = open(file)) {
            char[] buf = new char[1 << 16];
            int n;
            while ((n = reader.read(buf)) >= 0) {
                sb.append(buf, 0, n);
            }
        } catch (CharacterCodingException e) {
            throw new CaptionerException("file " + file + " is not valid UTF-8 text", e);
        } catch (IOException e) {
            throw new CaptionerException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (sb.length() > 0 && sb.charAt(0) == '\uFEFF') {
            sb.deleteCharAt(0);
        }
        return sb.toString();
    }

    /** Reads a file's lines (LF, CRLF or CR ends), dropping a leading byte-order mark. */
    static List<String> readLines(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new CaptionerException("file " + file + " does not exist or is not a regular file");
        }
        List<String> lines = new ArrayList<>();
        try (BufferedReader reader = open(file)) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (lines.isEmpty() && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
                    line = line.substring(1);
                }
                lines.add(line);
            }
        } catch (CharacterCodingException e) {
            throw new CaptionerException("file " + file + " is not valid UTF-8 text (line "
                    + (lines.size() + 1) + ")", e);
        } catch (IOException e) {
            throw new CaptionerException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return lines;
    }

    private static BufferedReader open(Path file) throws IOException {
        return new BufferedReader(new InputStreamReader(Files.newInputStream(file),
                StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)));
    }

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
