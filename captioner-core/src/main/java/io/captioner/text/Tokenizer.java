package io.captioner.text;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Splits a caption into words the way captioning datasets are conventionally prepared: lowercase,
 * punctuation dropped, split on whitespace.
 *
 * <p>This follows Karpathy's preprocessing of Flickr8k/30k and COCO (lowercase, delete every
 * punctuation character, split on whitespace), which is also what coco-caption's scorer leaves
 * once it has removed punctuation tokens. Deleting a punctuation character joins what was on
 * either side of it rather than splitting there:
 *
 * <table>
 *   <caption>Examples</caption>
 *   <tr><th>input</th><th>tokens</th></tr>
 *   <tr><td>{@code "A dog runs."}</td><td>{@code [a, dog, runs]}</td></tr>
 *   <tr><td>{@code "A man in a t-shirt ."}</td><td>{@code [a, man, in, a, tshirt]}</td></tr>
 *   <tr><td>{@code "The dog's ball"}</td><td>{@code [the, dogs, ball]}</td></tr>
 *   <tr><td>{@code "They're  jumping\tover, 2 logs!"}</td><td>{@code [theyre, jumping, over, 2, logs]}</td></tr>
 *   <tr><td>{@code "Café -- olé"}</td><td>{@code [café, olé]}</td></tr>
 *   <tr><td>{@code " ... "}</td><td>{@code []}</td></tr>
 * </table>
 *
 * <p>Punctuation is every character of Unicode's punctuation categories (P*, which covers ASCII
 * {@code !"#%&'()*,-./:;?@[\]_{}}) plus the ASCII symbols {@code $+<=>^`|~}; that is, all of
 * Python's {@code string.punctuation}, and also typographic quotes and dashes. Digits and
 * non-ASCII letters are kept. Lowercasing uses {@link Locale#ROOT}.
 *
 * <p>Differences from coco-caption's Stanford PTB tokenizer: PTB splits clitics ({@code "dog's"}
 * becomes {@code dog 's}) and keeps hyphenated words whole ({@code t-shirt}), whereas this
 * tokenizer yields {@code dogs} and {@code tshirt}. Flickr8k's captions are already split before
 * clitics ({@code "dog 's"}), so on them the two agree except for hyphens.
 *
 * <p>Instances are stateless and thread-safe.
 */
public final class Tokenizer {

    private static final Tokenizer INSTANCE = new Tokenizer();

    private Tokenizer() {}

    /**
     * Returns the shared tokenizer.
     *
     * @return the tokenizer
     */
    public static Tokenizer standard() {
        return INSTANCE;
    }

    /**
     * Splits text into lowercase words with punctuation removed.
     *
     * @param text a caption; {@code null} is not allowed
     * @return the words in order, possibly empty; the list is unmodifiable
     */
    public List<String> tokenize(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        List<String> tokens = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < lower.length(); ) {
            int cp = lower.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
                if (word.length() > 0) {
                    tokens.add(word.toString());
                    word.setLength(0);
                }
            } else if (!isPunctuation(cp)) {
                word.appendCodePoint(cp);
            }
        }
        if (word.length() > 0) {
            tokens.add(word.toString());
        }
        return Collections.unmodifiableList(tokens);
    }

    /**
     * Tokenizes and joins the words with single spaces: the normal form of a caption.
     *
     * @param text a caption
     * @return the normalised caption
     */
    public String normalize(String text) {
        return String.join(" ", tokenize(text));
    }

    /**
     * Tells whether a code point is removed by {@link #tokenize(String)}.
     *
     * @param cp a Unicode code point
     * @return true for punctuation and the ASCII symbols of Python's {@code string.punctuation}
     */
    public static boolean isPunctuation(int cp) {
        switch (Character.getType(cp)) {
            case Character.CONNECTOR_PUNCTUATION:
            case Character.DASH_PUNCTUATION:
            case Character.START_PUNCTUATION:
            case Character.END_PUNCTUATION:
            case Character.INITIAL_QUOTE_PUNCTUATION:
            case Character.FINAL_QUOTE_PUNCTUATION:
            case Character.OTHER_PUNCTUATION:
                return true;
            default:
                return cp < 128 && "$+<=>^`|~".indexOf(cp) >= 0;
        }
    }
}
