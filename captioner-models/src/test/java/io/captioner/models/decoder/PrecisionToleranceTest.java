package io.captioner.models.decoder;

import static org.assertj.core.api.Assertions.assertThat;

import io.captioner.CaptionDecoder;
import io.captioner.DecoderState;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * At the Flickr8k sizes (V 2,541, E 512, H 512, D 2,048, one layer with the image merge), the
 * log-probabilities of a reduced precision stay within {@link Precision#logProbTolerance()} of
 * float32's over a greedy caption, on every kernel; the figures printed are the measured largest
 * differences, which the README quotes.
 */
@Tag("slow") // six Flickr8k-size decoders: about 20 s on a busy 2-core machine
class PrecisionToleranceTest {

    private static final int V = 2541;

    private static DecoderConfig flickr8k() {
        return DecoderConfig.builder().setVocabularySize(V).setFeatureSize(2048).optEmbeddingSize(512)
                .optHiddenSize(512).optNumLayers(1).optImageMerge(true).build();
    }

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({"bf16, vector", "int8, vector", "bf16, scalar", "int8, scalar", "bf16, torch", "int8, torch"})
    void reducedPrecisionStaysWithinItsToleranceOverAGreedyCaption(String precisionName, String kernelName) {
        Precision precision = Precision.parse(precisionName);
        StepKernel kernel = StepKernel.parse(kernelName);
        float[][] f = new float[1][2048];
        Random random = new Random(5);
        for (int i = 0; i < f[0].length; i++) {
            f[0][i] = random.nextFloat(); // non-negative, as pooled CNN features are
        }
        double worst = 0;
        // weights as trained decoders have them: Xavier plus noise of the same order
        try (LstmCaptionDecoder exact = StepFixtures.perturbedDecoder(flickr8k(), 3, 0.05f,
                new InferenceSettings(Precision.FP32, StepKernel.TORCH, 16));
                LstmCaptionDecoder reduced = StepFixtures.perturbedDecoder(flickr8k(), 3, 0.05f,
                        new InferenceSettings(precision, kernel, 16))) {
            DecoderState a = exact.start(f);
            DecoderState b = reduced.start(f);
            int token = 1;
            for (int step = 0; step < 12; step++) {
                CaptionDecoder.Step sa = exact.step(a, new int[] {token});
                CaptionDecoder.Step sb = reduced.step(b, new int[] {token});
                a.close();
                b.close();
                a = sa.state();
                b = sb.state();
                int best = 0;
                for (int v = 0; v < V; v++) {
                    worst = Math.max(worst, Math.abs(sa.logProbs()[0][v] - sb.logProbs()[0][v]));
                    if (sa.logProbs()[0][v] > sa.logProbs()[0][best]) {
                        best = v;
                    }
                }
                token = best; // both follow the float32 caption
            }
            a.close();
            b.close();
        }
        System.out.printf("%s on %s: largest log-probability difference to fp32 over 12 greedy steps %.2e%n",
                precision, kernel.resolve(precision), worst);
        assertThat(worst).as("largest |log p - log p(fp32)|").isLessThanOrEqualTo(precision.logProbTolerance());
    }
}
