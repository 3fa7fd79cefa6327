package io.captioner.text;

import io.captioner.CaptionerException;
import io.captioner.io.AtomicFiles;
import io.captioner.io.Utf8Files;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps words to the integer ids a decoder predicts, and back. Immutable and thread-safe.
 *
 * <p>Ids 0..3 are reserved: {@code <pad>}=0, {@code <start>}=1, {@code <end>}=2, {@code <unk>}=3.
 * Words follow in a deterministic order: by training count, descending, then alphabetically (by
 * {@link String#compareTo}), so the same captions always give the same ids. Words seen fewer than
 * the minimum count, and words beyond the maximum size, map to {@code <unk>}.
 *
 * <h2>File format</h2>
 *
 * UTF-8 text, {@code \n} line ends. The first line is a header, then one line per id in order:
 *
 * <pre>
 * #captioner-vocabulary v1 size=7 min_count=1
 * 0	&lt;pad&gt;	0
 * 1	&lt;start&gt;	0
 * 2	&lt;end&gt;	0
 * 3	&lt;unk&gt;	0
 * 4	a	12
 * 5	dog	3
 * 6	runs	3
 * </pre>
 *
 * <p>Each entry is {@code id TAB word TAB count}; the count is the word's frequency in the training
 * captions (0 for specials). Loading checks the header, that ids run 0..size-1, the reserved
 * words, that words are unique, and that the file holds exactly {@code size} entries, so a corrupt
 * or truncated file fails with the file name and line number.
 */
public final class Vocabulary {

    /** Id of {@code <pad>}, the padding of shorter captions in a batch. */
    public static final int PAD = 0;
    /** Id of {@code <start>}, fed to the decoder before the first word. */
    public static final int START = 1;
    /** Id of {@code <end>}, emitted by the decoder after the last word. */
    public static final int END = 2;
    /** Id of {@code <unk>}, standing for every word outside the vocabulary. */
    public static final int UNK = 3;

    /** The reserved words, at ids 0..3. */
    public static final List<String> SPECIALS = List.of("<pad>", "<start>", "<end>", "<unk>");

    private static final String MAGIC = "#captioner-vocabulary";
    private static final Pattern HEADER =
            Pattern.compile("#captioner-vocabulary v(\\d+) size=(\\d+) min_count=(\\d+)");
    private static final int FORMAT_VERSION = 1;

    private final List<String> words;
    private final long[] counts;
    private final Map<String, Integer> ids;
    private final int minCount;

    private Vocabulary(List<String> words, long[] counts, int minCount) {
        this.words = Collections.unmodifiableList(new ArrayList<>(words));
        this.counts = counts.clone();
        this.minCount = minCount;
        Map<String, Integer> map = new HashMap<>(words.size() * 2);
        for (int i = 0; i < words.size(); i++) {
            map.put(words.get(i), i);
        }
        this.ids = map;
    }

    /**
     * Creates a builder that counts words from tokenized captions, for example
     * {@code Vocabulary.builder().optMinCount(5).build(captions)}.
     *
     * @return a new builder with minimum count 1 and no maximum size
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the number of ids, specials included.
     *
     * @return V
     */
    public int size() {
        return words.size();
    }

    /**
     * Returns the minimum count this vocabulary was built with.
     *
     * @return the minimum count
     */
    public int minCount() {
        return minCount;
    }

    /**
     * Returns the id of a word, {@link #UNK} for words outside the vocabulary.
     *
     * @param word a token
     * @return its id
     */
    public int id(String word) {
        Integer id = ids.get(word);
        return id == null ? UNK : id;
    }

    /**
     * Tells whether a word has its own id.
     *
     * @param word a token
     * @return true if it is in the vocabulary (specials included)
     */
    public boolean contains(String word) {
        return ids.containsKey(word);
    }

    /**
     * Returns the word of an id.
     *
     * @param id an id in [0, size)
     * @return the word, or one of {@link #SPECIALS}
     * @throws IllegalArgumentException if the id is out of range
     */
    public String token(int id) {
        if (id < 0 || id >= words.size()) {
            throw new IllegalArgumentException(
                    "Token id must be in [0, " + words.size() + "), found " + id);
        }
        return words.get(id);
    }

    /**
     * Returns how often a word occurred in the captions the vocabulary was built from.
     *
     * @param id an id in [0, size)
     * @return the training count, 0 for specials
     */
    public long count(int id) {
        token(id);
        return counts[id];
    }

    /**
     * Returns all words in id order.
     *
     * @return an unmodifiable list of size {@link #size()}
     */
    public List<String> tokens() {
        return words;
    }

    /**
     * Maps words to ids, without adding {@code <start>} or {@code <end>}.
     *
     * @param tokens words
     * @return their ids; unknown words become {@link #UNK}
     */
    public int[] encode(List<String> tokens) {
        int[] out = new int[tokens.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = id(tokens.get(i));
        }
        return out;
    }

    /**
     * Maps ids back to words, stopping at the first {@link #END} and skipping {@link #PAD} and
     * {@link #START}; {@link #UNK} stays {@code "<unk>"}.
     *
     * @param ids token ids
     * @return the words
     * @throws IllegalArgumentException if an id is out of range
     */
    public List<String> decode(int[] ids) {
        List<String> out = new ArrayList<>(ids.length);
        for (int id : ids) {
            if (id == END) {
                break;
            }
            if (id != PAD && id != START) {
                out.add(token(id));
            }
        }
        return out;
    }

    /**
     * Writes the vocabulary in the documented text format, atomically.
     *
     * @param file the target file; parent directories are created
     * @throws CaptionerException if the file cannot be written
     */
    public void save(Path file) {
        AtomicFiles.write(file, out -> {
            BufferedWriter w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            w.write(MAGIC + " v" + FORMAT_VERSION + " size=" + words.size() + " min_count=" + minCount);
            w.write('\n');
            for (int i = 0; i < words.size(); i++) {
                w.write(i + "\t" + words.get(i) + "\t" + counts[i]);
                w.write('\n');
            }
            w.flush();
        });
    }

    /**
     * Reads a vocabulary written by {@link #save(Path)}.
     *
     * @param file the vocabulary file
     * @return the vocabulary
     * @throws CaptionerException naming the file and line if it is missing, corrupt or truncated
     */
    public static Vocabulary load(Path file) {
        if (!Files.exists(file)) {
            throw new CaptionerException("Vocabulary file not found: " + file);
        }
        List<String> lines = Utf8Files.readLines(file);
        if (lines.isEmpty()) {
            throw new CaptionerException("Vocabulary file " + file + " is empty; expected the header '"
                    + MAGIC + " v1 size=N min_count=M'");
        }
        Matcher h = HEADER.matcher(lines.get(0));
        if (!h.matches()) {
            throw new CaptionerException(file + " line 1: expected header '" + MAGIC
                    + " v1 size=N min_count=M', found '" + clip(lines.get(0)) + "'");
        }
        int version = parseInt(h.group(1), file, 1, "version");
        if (version != FORMAT_VERSION) {
            throw new CaptionerException(file + " line 1: vocabulary format version must be "
                    + FORMAT_VERSION + ", found " + version);
        }
        int size = parseInt(h.group(2), file, 1, "size");
        int minCount = parseInt(h.group(3), file, 1, "min_count");
        if (size < SPECIALS.size()) {
            throw new CaptionerException(file + " line 1: size must be at least " + SPECIALS.size()
                    + " (the reserved words), found " + size);
        }
        int entries = lines.size() - 1;
        if (entries != size) {
            throw new CaptionerException(file + ": header declares " + size + " entries but the file has "
                    + entries + (entries < size ? " (truncated?)" : ""));
        }
        List<String> words = new ArrayList<>(size);
        long[] counts = new long[size];
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < size; i++) {
            int lineNo = i + 2;
            String line = lines.get(i + 1);
            String[] f = line.split("\t", -1);
            if (f.length != 3) {
                throw new CaptionerException(file + " line " + lineNo
                        + ": expected 'id<TAB>word<TAB>count', found '" + clip(line) + "'");
            }
            int id = parseInt(f[0], file, lineNo, "id");
            if (id != i) {
                throw new CaptionerException(file + " line " + lineNo + ": ids must run 0.." + (size - 1)
                        + " in order; expected " + i + ", found " + id);
            }
            String word = f[1];
            if (word.isEmpty() || word.chars().anyMatch(Character::isWhitespace)) {
                throw new CaptionerException(file + " line " + lineNo
                        + ": word must be non-empty without whitespace, found '" + clip(word) + "'");
            }
            if (i < SPECIALS.size() && !word.equals(SPECIALS.get(i))) {
                throw new CaptionerException(file + " line " + lineNo + ": id " + i + " is reserved for "
                        + SPECIALS.get(i) + ", found '" + clip(word) + "'");
            }
            Integer previous = seen.put(word, i);
            if (previous != null) {
                throw new CaptionerException(file + " line " + lineNo + ": word '" + clip(word)
                        + "' already has id " + previous);
            }
            long count;
            try {
                count = Long.parseLong(f[2]);
            } catch (NumberFormatException e) {
                count = -1;
            }
            if (count < 0) {
                throw new CaptionerException(file + " line " + lineNo
                        + ": count must be a non-negative integer, found '" + clip(f[2]) + "'");
            }
            words.add(word);
            counts[i] = count;
        }
        return new Vocabulary(words, counts, minCount);
    }

    private static int parseInt(String s, Path file, int lineNo, String field) {
        try {
            int v = Integer.parseInt(s);
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new CaptionerException(file + " line " + lineNo + ": " + field
                + " must be a non-negative integer, found '" + clip(s) + "'");
    }

    private static String clip(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Vocabulary v && v.minCount == minCount && v.words.equals(words)
                && Arrays.equals(v.counts, counts);
    }

    @Override
    public int hashCode() {
        return words.hashCode() * 31 + Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "Vocabulary[size=" + words.size() + ", minCount=" + minCount + "]";
    }

    /**
     * Counts words from tokenized captions and assigns ids. Not thread-safe; setters may be called
     * in any order before {@link #build()}. Without {@link #optMaxSize(int)} the size is unlimited.
     */
    public static final class Builder {
        private static final int UNLIMITED = Integer.MAX_VALUE;

        private final Map<String, Long> counts = new HashMap<>();
        private int minCount = 1;
        private int maxSize = UNLIMITED;

        private Builder() {}

        /**
         * Sets the fewest occurrences a word needs to get its own id.
         *
         * @param value at least 1 (default 1)
         * @return this builder
         */
        public Builder optMinCount(int value) {
            this.minCount = value;
            return this;
        }

        /**
         * Caps the number of ids, specials included; the least frequent words are dropped first.
         * Not calling it leaves the size unlimited.
         *
         * @param value at least 5 (the 4 reserved words and one more)
         * @return this builder
         */
        public Builder optMaxSize(int value) {
            this.maxSize = value;
            return this;
        }

        /**
         * Counts the words of one tokenized caption.
         *
         * @param tokens the caption's words; none may be empty, contain whitespace or be a special
         * @return this builder
         * @throws IllegalArgumentException naming the bad token
         */
        public Builder add(List<String> tokens) {
            for (String t : tokens) {
                if (t.isEmpty() || t.chars().anyMatch(Character::isWhitespace)) {
                    throw new IllegalArgumentException(
                            "Vocabulary words must be non-empty without whitespace, found '" + t + "'");
                }
                if (SPECIALS.contains(t)) {
                    throw new IllegalArgumentException(
                            "Vocabulary words must not be a reserved token, found '" + t + "'");
                }
                counts.merge(t, 1L, Long::sum);
            }
            return this;
        }

        /**
         * Counts the words of many tokenized captions.
         *
         * @param captions tokenized captions
         * @return this builder
         */
        public Builder addAll(Iterable<? extends List<String>> captions) {
            for (List<String> c : captions) {
                add(c);
            }
            return this;
        }

        /**
         * Counts the words of many tokenized captions and assigns ids: the same as
         * {@code addAll(captions).build()}.
         *
         * @param captions tokenized captions, e.g. from {@link Tokenizer#tokenize(String)}
         * @return the vocabulary
         * @throws IllegalArgumentException naming a bad token, or if the minimum count is below 1
         *     or the maximum size is not above 4
         */
        public Vocabulary build(Iterable<? extends List<String>> captions) {
            return addAll(captions).build();
        }

        /**
         * Assigns ids: specials first, then words by count descending, then alphabetically.
         *
         * @return the vocabulary
         * @throws IllegalArgumentException if the minimum count is below 1 or the maximum size is
         *     not above 4
         */
        public Vocabulary build() {
            if (minCount < 1) {
                throw new IllegalArgumentException("minCount must be at least 1, found " + minCount);
            }
            if (maxSize <= SPECIALS.size()) {
                throw new IllegalArgumentException("maxSize must be above " + SPECIALS.size()
                        + " (the reserved words), found " + maxSize);
            }
            List<Map.Entry<String, Long>> kept = new ArrayList<>();
            for (Map.Entry<String, Long> e : counts.entrySet()) {
                if (e.getValue() >= minCount) {
                    kept.add(e);
                }
            }
            kept.sort(Map.Entry.<String, Long>comparingByValue().reversed()
                    .thenComparing(Map.Entry.comparingByKey()));
            int limit = Math.min(kept.size(), maxSize - SPECIALS.size());
            List<String> words = new ArrayList<>(SPECIALS);
            long[] c = new long[SPECIALS.size() + limit];
            for (int i = 0; i < limit; i++) {
                words.add(kept.get(i).getKey());
                c[SPECIALS.size() + i] = kept.get(i).getValue();
            }
            return new Vocabulary(words, c, minCount);
        }
    }
}
