package io.captioner.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.captioner.CaptionDecoder;
import io.captioner.DecoderState;
import io.captioner.models.decoder.LstmCaptionDecoder;
import io.captioner.search.CaptionSearch;
import org.junit.jupiter.api.Test;

class FusedStepDecoderTest {

    private static final ModelShape SMALL = new ModelShape("small", 40, 8, 16, 12);

    @Test
    void stepsAndSelectsGiveTheProjectDecodersLogProbabilities() {
        try (LstmCaptionDecoder project = ProjectDecoding.decoder(SMALL, 3);
                FusedStepDecoder fused = new FusedStepDecoder(project)) {
            float[][] features = Workloads.features(3, SMALL.featureSize(), 5);
            DecoderState a = project.start(features);
            DecoderState b = fused.start(features);
            int[] tokens = {1, 1, 1};
            for (int t = 0; t < 4; t++) {
                CaptionDecoder.Step sa = project.step(a, tokens);
                CaptionDecoder.Step sb = fused.step(b, tokens);
                for (int r = 0; r < 3; r++) {
                    for (int v = 0; v < SMALL.vocabularySize(); v++) {
                        assertThat(sb.logProbs()[r][v]).isCloseTo(sa.logProbs()[r][v], within(1e-5f));
                    }
                }
                a.close();
                b.close();
                int[] rows = {2, 0, 0};
                a = project.select(sa.state(), rows);
                b = fused.select(sb.state(), rows);
                sa.state().close();
                sb.state().close();
                tokens = new int[] {4 + t, 7, 30 - t};
            }
            a.close();
            b.close();
        }
    }

    @Test
    void greedySearchChoosesTheSameWords() {
        try (LstmCaptionDecoder project = ProjectDecoding.decoder(SMALL, 4);
                FusedStepDecoder fused = new FusedStepDecoder(project)) {
            float[][] features = Workloads.features(4, SMALL.featureSize(), 6);
            CaptionSearch search = ProjectDecoding.search("greedy");
            for (int i = 0; i < features.length; i++) {
                assertThat(search.decode(fused, features).get(i).best().tokens())
                        .isEqualTo(search.decode(project, features).get(i).best().tokens());
            }
        }
    }

    @Test
    void repeatedDecodingLeavesNoLiveNDArrays() {
        try (LstmCaptionDecoder project = ProjectDecoding.decoder(SMALL, 4);
                FusedStepDecoder fused = new FusedStepDecoder(project)) {
            float[][] features = Workloads.features(2, SMALL.featureSize(), 6);
            CaptionSearch search = ProjectDecoding.search("beam3");
            search.decode(fused, features);
            long before = NativeMemory.liveNDArrays();
            for (int i = 0; i < 10; i++) {
                search.decode(fused, features);
            }
            assertThat(NativeMemory.liveNDArrays()).isEqualTo(before);
        }
    }
}
