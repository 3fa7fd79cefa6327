package io.captioner.eval;

import java.util.Arrays;

/**
 * The sufficient statistics of BLEU for one image or a whole corpus, as coco-caption accumulates
 * them: the effective reference length, the hypothesis length, and per n-gram order the number of
 * hypothesis n-grams ("guess") and of those matched by the references after clipping ("correct").
 *
 * <p>Index {@code n-1} of {@link #guess()} and {@link #correct()} holds order n, for n = 1..4.
 * Counts of a corpus are the sums of the images' counts ({@link #plus(BleuCounts)}). Immutable:
 * the arrays are copied in and out.
 *
 * @param reflen effective reference length: the length of the reference closest to the
 *     hypothesis's (ties go to the shorter), summed over images
 * @param testlen hypothesis length in tokens, summed over images
 * @param guess hypothesis n-grams per order, {@code max(0, testlen - n + 1)} per image
 * @param correct clipped matches per order: for each hypothesis n-gram, the smaller of its count
 *     and its largest count in any one reference
 */
public record BleuCounts(long reflen, long testlen, long[] guess, long[] correct) {

    /** The counts of nothing: all zero. */
    public static final BleuCounts ZERO =
            new BleuCounts(0, 0, new long[Bleu.MAX_N], new long[Bleu.MAX_N]);

    /**
     * Validates and copies the counts.
     *
     * @param reflen see the record description
     * @param testlen see the record description
     * @param guess see the record description
     * @param correct see the record description
     * @throws IllegalArgumentException if an array is not of length 4, a count is negative, or a
     *     correct count exceeds its guess count
     */
    public BleuCounts {
        if (guess == null || correct == null || guess.length != Bleu.MAX_N || correct.length != Bleu.MAX_N) {
            throw new IllegalArgumentException("guess and correct must hold " + Bleu.MAX_N
                    + " counts (orders 1..4), found " + Arrays.toString(guess) + " and " + Arrays.toString(correct));
        }
        guess = guess.clone();
        correct = correct.clone();
        if (reflen < 0 || testlen < 0) {
            throw new IllegalArgumentException("reflen and testlen must be >= 0, found " + reflen + " and " + testlen);
        }
        for (int i = 0; i < Bleu.MAX_N; i++) {
            if (guess[i] < 0 || correct[i] < 0 || correct[i] > guess[i]) {
                throw new IllegalArgumentException("order " + (i + 1)
                        + ": need 0 <= correct <= guess, found correct " + correct[i] + ", guess " + guess[i]);
            }
        }
    }

    /**
     * Returns the hypothesis n-gram counts per order.
     *
     * @return a copy; index n-1 is order n
     */
    @Override
    public long[] guess() {
        return guess.clone();
    }

    /**
     * Returns the clipped match counts per order.
     *
     * @return a copy; index n-1 is order n
     */
    @Override
    public long[] correct() {
        return correct.clone();
    }

    /**
     * Adds two sets of counts, as the corpus score does over images.
     *
     * @param other the counts to add
     * @return the element-wise sum
     */
    public BleuCounts plus(BleuCounts other) {
        long[] g = guess.clone();
        long[] c = correct.clone();
        for (int i = 0; i < Bleu.MAX_N; i++) {
            g[i] += other.guess[i];
            c[i] += other.correct[i];
        }
        return new BleuCounts(reflen + other.reflen, testlen + other.testlen, g, c);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BleuCounts b
                && reflen == b.reflen
                && testlen == b.testlen
                && Arrays.equals(guess, b.guess)
                && Arrays.equals(correct, b.correct);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Long.hashCode(reflen) + Long.hashCode(testlen)) + 31 * Arrays.hashCode(guess)
                + Arrays.hashCode(correct);
    }

    @Override
    public String toString() {
        return "BleuCounts[reflen=" + reflen + ", testlen=" + testlen + ", guess=" + Arrays.toString(guess)
                + ", correct=" + Arrays.toString(correct) + "]";
    }
}
