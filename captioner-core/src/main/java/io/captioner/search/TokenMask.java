package io.captioner.search;

import io.captioner.DecodingOptions;

/**
 * Applies the decoding constraints to one row of log-probabilities by setting forbidden tokens to
 * negative infinity, in place. Package-private: an implementation detail of the searches.
 *
 * <p>Always forbidden: {@code <pad>} and {@code <start>}. Forbidden by options: {@code <unk>}
 * (suppressUnk), {@code <end>} before {@code minLength} words, every word once {@code maxLength}
 * words were emitted (only {@code <end>} may follow), the previous word (noImmediateRepeat), and
 * every word that would complete an n-gram already present in the caption (noRepeatNgramSize = n).
 * {@code <end>} is never counted in n-grams. Not thread-safe only in the sense that the row is
 * modified; the mask itself is immutable.
 */
final class TokenMask {

    private static final float BLOCKED = Float.NEGATIVE_INFINITY;

    private final int minLength;
    private final int maxLength;
    private final boolean suppressUnk;
    private final boolean noImmediateRepeat;
    private final int ngram;

    TokenMask(DecodingOptions options) {
        this.minLength = options.minLength();
        this.maxLength = options.maxLength();
        this.suppressUnk = options.suppressUnk();
        this.noImmediateRepeat = options.noImmediateRepeat();
        this.ngram = options.noRepeatNgramSize();
    }

    /**
     * Masks the next-token log-probabilities of a caption whose words so far are
     * {@code tokens[0..length)}.
     *
     * @param row the decoder's log-probabilities for this caption, length V; modified in place
     * @param tokens the caption's words (no {@code <start>})
     * @param length how many entries of {@code tokens} are valid
     */
    void apply(float[] row, int[] tokens, int length) {
        row[TokenIds.PAD] = BLOCKED;
        row[TokenIds.START] = BLOCKED;
        if (suppressUnk && row.length > TokenIds.UNK) {
            row[TokenIds.UNK] = BLOCKED;
        }
        if (length < minLength) {
            row[TokenIds.END] = BLOCKED;
        }
        if (length >= maxLength) {
            float end = row[TokenIds.END];
            java.util.Arrays.fill(row, BLOCKED);
            row[TokenIds.END] = end;
            return;
        }
        if (noImmediateRepeat && length > 0) {
            row[tokens[length - 1]] = BLOCKED;
        }
        if (ngram > 0 && length >= ngram - 1) {
            // The candidate would form the n-gram tokens[length-n+1 .. length-1] + candidate; ban
            // the word that followed every earlier occurrence of that (n-1)-word prefix.
            int prefixStart = length - ngram + 1;
            for (int i = 0; i + ngram - 1 < length; i++) {
                boolean same = true;
                for (int j = 0; j < ngram - 1; j++) {
                    if (tokens[i + j] != tokens[prefixStart + j]) {
                        same = false;
                        break;
                    }
                }
                if (same) {
                    row[tokens[i + ngram - 1]] = BLOCKED;
                }
            }
        }
    }
}
