package io.captioner.search;

import io.captioner.CaptionDecoder;
import io.captioner.DecoderState;
import io.captioner.DecodingOptions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Enumerates every caption a decoder can produce under some options, written independently of the
 * searches (plain recursion, its own constraint checks and scoring formula), as the ground truth.
 */
final class BruteForce {

    /** One enumerated caption. */
    record Scored(List<Integer> tokens, double logProb, double score, boolean finished) {}

    private final CaptionDecoder decoder;
    private final DecodingOptions options;
    private final List<Scored> finished = new ArrayList<>();
    private final List<Scored> partial = new ArrayList<>();

    private BruteForce(CaptionDecoder decoder, DecodingOptions options) {
        this.decoder = decoder;
        this.options = options;
    }

    /** Returns all finished captions, best score first. */
    static List<Scored> finished(CaptionDecoder decoder, float[] feature, DecodingOptions options) {
        BruteForce b = run(decoder, feature, options);
        b.finished.sort(Comparator.comparingDouble(Scored::score).reversed());
        return b.finished;
    }

    /** Returns all allowed captions of exactly maxLength words, unfinished, best first. */
    static List<Scored> partial(CaptionDecoder decoder, float[] feature, DecodingOptions options) {
        BruteForce b = run(decoder, feature, options);
        b.partial.sort(Comparator.comparingDouble(Scored::score).reversed());
        return b.partial;
    }

    private static BruteForce run(CaptionDecoder decoder, float[] feature, DecodingOptions options) {
        BruteForce b = new BruteForce(decoder, options);
        DecoderState state = decoder.start(new float[][] {feature});
        try {
            b.explore(state, 1, new ArrayList<>(), 0.0);
        } finally {
            state.close();
        }
        return b;
    }

    private void explore(DecoderState state, int previous, List<Integer> prefix, double logProb) {
        CaptionDecoder.Step step = decoder.step(state, new int[] {previous});
        try (DecoderState next = step.state()) {
            float[] row = step.logProbs()[0];
            int length = prefix.size();
            if (length == options.maxLength()) {
                partial.add(new Scored(List.copyOf(prefix), logProb, score(logProb, length), false));
            }
            if (length >= options.minLength() && row[2] != Float.NEGATIVE_INFINITY) {
                double lp = logProb + row[2];
                finished.add(new Scored(List.copyOf(prefix), lp, score(lp, length + 1), true));
            }
            if (length == options.maxLength()) {
                return;
            }
            for (int t = 3; t < row.length; t++) {
                if (row[t] == Float.NEGATIVE_INFINITY || !allowed(prefix, t)) {
                    continue;
                }
                prefix.add(t);
                explore(next, t, prefix, logProb + row[t]);
                prefix.remove(prefix.size() - 1);
            }
        }
    }

    private boolean allowed(List<Integer> prefix, int token) {
        if (token == 3 && options.suppressUnk()) {
            return false;
        }
        if (options.noImmediateRepeat() && !prefix.isEmpty()
                && prefix.get(prefix.size() - 1) == token) {
            return false;
        }
        int n = options.noRepeatNgramSize();
        if (n > 0) {
            List<Integer> words = new ArrayList<>(prefix);
            words.add(token);
            Set<List<Integer>> seen = new HashSet<>();
            for (int i = 0; i + n <= words.size(); i++) {
                if (!seen.add(List.copyOf(words.subList(i, i + n)))) {
                    return false;
                }
            }
        }
        return true;
    }

    private double score(double logProb, int steps) {
        return switch (options.lengthPenalty()) {
            case NONE -> logProb;
            case AVERAGE -> logProb / steps;
            case GNMT -> logProb / Math.pow((5.0 + steps) / 6.0, options.lengthPenaltyAlpha());
        };
    }
}
