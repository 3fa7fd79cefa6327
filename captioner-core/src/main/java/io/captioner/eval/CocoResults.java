package io.captioner.eval;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import io.captioner.CaptionerException;
import io.captioner.io.AtomicFiles;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Reads and writes captions in the COCO results format: a JSON array of objects
 * {@code {"image_id": "<image file name>", "caption": "..."}}, one per image.
 *
 * <p>{@code image_id} may be a string (Flickr8k file names) or an integer (COCO ids, read as its
 * decimal string). Other fields of an entry are ignored. The JSON must be strict (no comments,
 * no trailing commas) and UTF-8. Stateless and thread-safe.
 */
public final class CocoResults {

    /** The field holding the image id. */
    public static final String IMAGE_ID = "image_id";
    /** The field holding the caption. */
    public static final String CAPTION = "caption";

    private CocoResults() {}

    /**
     * Reads a results file.
     *
     * @param file the JSON file
     * @return image id to caption, in file order; unmodifiable
     * @throws CaptionerException if the file cannot be read, is not valid JSON, is not an array of
     *     objects, an entry lacks {@code image_id} or {@code caption} or has the wrong type, or an
     *     image id appears twice; the message names the file, the entry index (from 0) and the field
     */
    public static Map<String, String> read(Path file) {
        Objects.requireNonNull(file, "file");
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(in, file.toString());
        } catch (IOException e) {
            throw new CaptionerException(file + ": cannot read results file: " + e.getMessage(), e);
        }
    }

    /**
     * Reads results from a character stream.
     *
     * @param in the JSON text; not closed
     * @param source the name used in error messages (a file name)
     * @return image id to caption, in input order; unmodifiable
     * @throws CaptionerException on malformed input, naming the source, entry index and field
     */
    public static Map<String, String> read(Reader in, String source) {
        JsonReader json = new JsonReader(in);
        json.setStrictness(Strictness.STRICT);
        Map<String, String> captions = new LinkedHashMap<>();
        Map<String, Integer> firstIndex = new HashMap<>();
        int index = -1;
        try {
            if (json.peek() != JsonToken.BEGIN_ARRAY) {
                throw new CaptionerException(source + ": expected a JSON array of {\"" + IMAGE_ID + "\", \""
                        + CAPTION + "\"} objects, found " + describe(json.peek()));
            }
            json.beginArray();
            while (json.hasNext()) {
                index++;
                String where = source + " entry " + index;
                if (json.peek() != JsonToken.BEGIN_OBJECT) {
                    throw new CaptionerException(where + ": expected an object with fields '" + IMAGE_ID
                            + "' and '" + CAPTION + "', found " + describe(json.peek()));
                }
                json.beginObject();
                String id = null;
                String caption = null;
                while (json.hasNext()) {
                    String name = json.nextName();
                    if (IMAGE_ID.equals(name)) {
                        JsonToken t = json.peek();
                        if (t == JsonToken.STRING) {
                            id = json.nextString();
                        } else if (t == JsonToken.NUMBER) {
                            String number = json.nextString();
                            if (!number.matches("-?\\d+")) {
                                throw new CaptionerException(where + ": field '" + IMAGE_ID
                                        + "' must be a string or an integer, found " + number);
                            }
                            id = number;
                        } else {
                            throw new CaptionerException(where + ": field '" + IMAGE_ID
                                    + "' must be a string or an integer, found " + describe(t));
                        }
                        if (id.isBlank()) {
                            throw new CaptionerException(where + ": field '" + IMAGE_ID + "' is empty");
                        }
                        requireWellFormed(id, where, IMAGE_ID);
                    } else if (CAPTION.equals(name)) {
                        JsonToken t = json.peek();
                        if (t != JsonToken.STRING) {
                            throw new CaptionerException(where + ": field '" + CAPTION
                                    + "' must be a string, found " + describe(t));
                        }
                        caption = json.nextString();
                        requireWellFormed(caption, where, CAPTION);
                    } else {
                        json.skipValue();
                    }
                }
                json.endObject();
                if (id == null) {
                    throw new CaptionerException(where + ": field '" + IMAGE_ID + "' is missing");
                }
                if (caption == null) {
                    throw new CaptionerException(where + " (image '" + id + "'): field '" + CAPTION + "' is missing");
                }
                Integer first = firstIndex.putIfAbsent(id, index);
                if (first != null) {
                    throw new CaptionerException(where + ": field '" + IMAGE_ID + "' repeats '" + id
                            + "' of entry " + first + "; one caption per image is allowed");
                }
                captions.put(id, caption);
            }
            json.endArray();
            if (json.peek() != JsonToken.END_DOCUMENT) {
                throw new CaptionerException(source + ": unexpected content after the results array, found "
                        + describe(json.peek()));
            }
        } catch (IOException | IllegalStateException e) {
            String at = index < 0 ? "" : " (at or after entry " + index + ")";
            throw new CaptionerException(source + ": malformed JSON" + at + ": " + e.getMessage(), e);
        }
        return Collections.unmodifiableMap(captions);
    }

    /**
     * Writes captions as a results file, atomically (a temporary file in the same directory is
     * moved over the target).
     *
     * @param file the JSON file to create or replace
     * @param captions image id to caption, written in iteration order
     * @throws CaptionerException if the file cannot be written
     */
    public static void write(Path file, Map<String, String> captions) {
        Objects.requireNonNull(captions, "captions");
        AtomicFiles.write(file, stream -> {
            Writer out = new OutputStreamWriter(stream, StandardCharsets.UTF_8);
            JsonWriter json = new JsonWriter(out);
            json.setIndent("  ");
            json.beginArray();
            for (Map.Entry<String, String> e : captions.entrySet()) {
                json.beginObject();
                json.name(IMAGE_ID).value(Objects.requireNonNull(e.getKey(), "image id"));
                json.name(CAPTION).value(Objects.requireNonNull(e.getValue(), () -> "caption of " + e.getKey()));
                json.endObject();
            }
            json.endArray();
            json.flush();
            out.write('\n');
            out.flush();
        });
    }

    private static String describe(JsonToken t) {
        return switch (t) {
            case BEGIN_ARRAY -> "an array";
            case BEGIN_OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            case END_DOCUMENT -> "the end of the file";
            default -> t.toString();
        };
    }

    /**
     * Refuses text with an unpaired UTF-16 surrogate, which a JSON escape of a single surrogate can
     * produce but no Unicode text holds: it could not be written back as UTF-8, nor scored as words.
     */
    private static void requireWellFormed(String value, String where, String field) {
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (Character.isHighSurrogate(ch) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(ch)) {
                throw new CaptionerException(String.format(java.util.Locale.ROOT,
                        "%s: field '%s' holds an unpaired UTF-16 surrogate \\u%04X at character %d; text must be"
                                + " valid Unicode (check its \\u escapes)", where, field, (int) ch, i));
            }
        }
    }
}
