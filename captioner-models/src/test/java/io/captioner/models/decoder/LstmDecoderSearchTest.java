package io.captioner.models.decoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.captioner.DecodingOptions;
import io.captioner.search.BeamSearch;
import io.captioner.search.GreedySearch;
import io.captioner.search.Hypothesis;
import io.captioner.search.SearchResult;
import io.captioner.search.TeacherForcing;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The decoder driven by the real search algorithms of io.captioner.search. */
class LstmDecoderSearchTest {

    private static final DecoderConfig CONFIG = DecoderConfig.builder().setVocabularySize(30).setFeatureSize(6)
            .optEmbeddingSize(16).optHiddenSize(24).optNumLayers(2).optImageInjection(ImageInjection.FIRST_INPUT)
            .build();

    private static float[][] features(int n) {
        Random r = new Random(5);
        float[][] f = new float[n][6];
        for (float[] row : f) {
            for (int j = 0; j < row.length; j++) {
                row[j] = (float) r.nextGaussian() * 3;
            }
        }
        return f;
    }

    @Test
    void greedyCaptionsReportTheDecodersTeacherForcedLogProbabilities() {
        float[][] f = features(5);
        try (LstmCaptionDecoder decoder = LstmCaptionDecoder.create(CONFIG, 21)) {
            List<SearchResult> results = new GreedySearch(DecodingOptions.builder().optMaxLength(8).build())
                    .decode(decoder, f);
            assertThat(results).hasSize(5);
            for (int i = 0; i < f.length; i++) {
                Hypothesis h = results.get(i).best();
                float[] forced = TeacherForcing.stepLogProbs(decoder, f[i], h.tokenArray(), h.finished());
                assertThat(forced).hasSize(h.steps());
                for (int s = 0; s < forced.length; s++) {
                    assertThat((double) forced[s]).isCloseTo(h.stepLogProbs().get(s), within(1e-5));
                }
            }
        }
    }

    @Test
    void beamSearchScoresItsReorderedBeamsTruthfully() {
        float[][] f = features(4);
        DecodingOptions beam = DecodingOptions.builder().optStrategy(DecodingOptions.Strategy.BEAM).optBeamSize(4)
                .optMaxLength(6).build();
        try (LstmCaptionDecoder decoder = LstmCaptionDecoder.create(CONFIG, 22)) {
            List<SearchResult> b = new BeamSearch(beam).decode(decoder, f);
            for (int i = 0; i < f.length; i++) {
                for (Hypothesis h : b.get(i).hypotheses()) {
                    double forced = TeacherForcing.logProb(decoder, f[i], h.tokenArray(), h.finished());
                    assertThat(forced).isCloseTo(h.logProb(), within(1e-4));
                }
            }
        }
    }

    @Test
    void beamOfWidthOneGivesTheGreedyCaptions() {
        float[][] f = features(4);
        DecodingOptions beam = DecodingOptions.builder().optStrategy(DecodingOptions.Strategy.BEAM).optBeamSize(1)
                .optMaxLength(6).build();
        try (LstmCaptionDecoder decoder = LstmCaptionDecoder.create(CONFIG, 23)) {
            List<SearchResult> b = new BeamSearch(beam).decode(decoder, f);
            List<SearchResult> g = new GreedySearch(DecodingOptions.builder().optMaxLength(6).build()).decode(decoder, f);
            for (int i = 0; i < f.length; i++) {
                assertThat(b.get(i).best().tokens()).isEqualTo(g.get(i).best().tokens());
            }
        }
    }
}
