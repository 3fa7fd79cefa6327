package io.captioner.models.train;

import io.captioner.data.EncodedCaptions;
import io.captioner.models.decoder.DecoderConfig;
import io.captioner.models.decoder.ImageInjection;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A tiny learnable captioning problem: random features whose strongest of the first four values
 * decides the caption ("word(4+k) word(8+k) word(12) word(13) word(15)"), with a second
 * caption per image in reversed order.
 */
final class TinyProblem {
    static final int D = 8;
    static final int V = 16;

    private TinyProblem() {}

    static DecoderConfig decoderConfig(ImageInjection mode, double dropout) {
        return DecoderConfig.builder().setVocabularySize(V).setFeatureSize(D).optEmbeddingSize(16)
                .optHiddenSize(32).optDropout(dropout).optImageInjection(mode).build();
    }

    static float[][] features(int n, long seed) {
        Random r = new Random(seed);
        float[][] f = new float[n][D];
        for (float[] row : f) {
            for (int j = 0; j < D; j++) {
                row[j] = (float) r.nextGaussian();
            }
        }
        return f;
    }

    static int classOf(float[] row) {
        int best = 0;
        for (int k = 1; k < 4; k++) {
            if (row[k] > row[best]) {
                best = k;
            }
        }
        return best;
    }

    static EncodedCaptions captions(float[][] features) {
        List<List<int[]>> out = new ArrayList<>();
        for (float[] row : features) {
            int k = classOf(row);
            out.add(List.of(new int[] {4 + k, 8 + k, 12, 13, 15}, new int[] {15, 13, 12, 8 + k, 4 + k}));
        }
        return EncodedCaptions.of(out);
    }

    static CaptionData data(int n, long seed) {
        float[][] f = features(n, seed);
        return new CaptionData(FeatureSource.cached(f), captions(f));
    }
}
