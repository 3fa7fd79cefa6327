package io.captioner.models.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class MaskedCrossEntropyTest {

    private static final float[] LOGITS = {
        // b0 t0, b0 t1, b1 t0, b1 t1; V = 5
        0.1f, 2.0f, -1.0f, 0.5f, 0.3f,
        1.0f, 1.0f, 1.0f, 3.0f, 0.0f,
        -0.2f, 0.4f, 0.9f, 0.0f, 1.5f,
        2.0f, -2.0f, 0.0f, 0.7f, 0.1f,
    };

    private static double logSoftmax(float[] logits, int row, int target) {
        double max = Double.NEGATIVE_INFINITY;
        for (int v = 0; v < 5; v++) {
            max = Math.max(max, logits[row * 5 + v]);
        }
        double sum = 0;
        for (int v = 0; v < 5; v++) {
            sum += Math.exp(logits[row * 5 + v] - max);
        }
        return logits[row * 5 + target] - max - Math.log(sum);
    }

    @Test
    void equalsTheMeanNegativeLogLikelihoodOfNonPadTargets() {
        long[] targets = {1, 3, 4, 0}; // the last target is <pad>
        double expected = -(logSoftmax(LOGITS, 0, 1) + logSoftmax(LOGITS, 1, 3) + logSoftmax(LOGITS, 2, 4)) / 3;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray loss = MaskedCrossEntropy.loss(m.create(LOGITS, new Shape(2, 2, 5)),
                    m.create(targets, new Shape(2, 2)));
            assertThat(loss.getShape().isScalar()).isTrue();
            assertThat((double) loss.getFloat()).isCloseTo(expected, within(1e-5));
        }
    }

    @Test
    void logitsAtPadPositionsDoNotMatter() {
        long[] targets = {1, 3, 4, 0};
        float[] changed = LOGITS.clone();
        for (int v = 15; v < 20; v++) {
            changed[v] = 100f * v;
        }
        try (NDManager m = NDManager.newBaseManager()) {
            float a = MaskedCrossEntropy.loss(m.create(LOGITS, new Shape(2, 2, 5)), m.create(targets, new Shape(2, 2)))
                    .getFloat();
            float b = MaskedCrossEntropy.loss(m.create(changed, new Shape(2, 2, 5)), m.create(targets, new Shape(2, 2)))
                    .getFloat();
            assertThat(b).isEqualTo(a);
            long[] unmasked = {1, 3, 4, 2};
            float c = MaskedCrossEntropy.loss(m.create(changed, new Shape(2, 2, 5)), m.create(unmasked, new Shape(2, 2)))
                    .getFloat();
            assertThat(c).isNotEqualTo(a);
        }
    }
}
