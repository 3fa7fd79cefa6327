package io.captioner.models.decoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.captioner.CaptionDecoder;
import io.captioner.DecoderState;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The direct LSTM-cell step used for small batches agrees with PyTorch's lstm operator. */
class FusedStepTest {

    private static final int ROWS = ShowAndTellDecoder.FUSED_STEP_MAX_ROWS + 4;

    @ParameterizedTest
    @EnumSource(ImageInjection.class)
    void smallBatchStepsEqualLargeBatchSteps(ImageInjection injection) {
        DecoderConfig config = DecoderConfig.builder().setVocabularySize(30).setFeatureSize(12)
                .optEmbeddingSize(16).optHiddenSize(24).optNumLayers(2).optDropout(0.3)
                .optImageInjection(injection).build();
        Random random = new Random(3);
        float[][] features = new float[ROWS][12];
        int[] tokens = new int[ROWS];
        for (int i = 0; i < ROWS; i++) {
            for (int j = 0; j < 12; j++) {
                features[i][j] = (float) random.nextGaussian();
            }
            tokens[i] = 1 + random.nextInt(29);
        }
        try (LstmCaptionDecoder decoder = LstmCaptionDecoder.create(config, 11);
                DecoderState all = decoder.start(features);
                DecoderState two = decoder.select(all, new int[] {0, 1})) {
            // Three steps: the large batch goes through the lstm operator, the small one through
            // the written-out cells; their states feed the next step, so drift would compound.
            DecoderState bigState = all;
            DecoderState smallState = two;
            for (int step = 0; step < 3; step++) {
                CaptionDecoder.Step big = decoder.step(bigState, tokens);
                CaptionDecoder.Step small = decoder.step(smallState, new int[] {tokens[0], tokens[1]});
                for (int row = 0; row < 2; row++) {
                    for (int v = 0; v < 30; v++) {
                        assertThat(small.logProbs()[row][v]).as("step %d row %d token %d", step, row, v)
                                .isCloseTo(big.logProbs()[row][v], within(1e-5f));
                    }
                }
                if (bigState != all) {
                    bigState.close();
                    smallState.close();
                }
                bigState = big.state();
                smallState = small.state();
            }
            bigState.close();
            smallState.close();
        }
    }

    @Test
    void thresholdSitsBetweenTheTestedBatchSizes() {
        assertThat(ShowAndTellDecoder.FUSED_STEP_MAX_ROWS).isGreaterThan(2).isLessThanOrEqualTo(ROWS);
    }
}
