package io.captioner.models.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.captioner.models.decoder.DecoderConfig;
import io.captioner.models.decoder.ImageInjection;
import io.captioner.models.decoder.LstmCaptionDecoder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BleuMetricTest {

    @Test
    void trainingWithBleuEarlyStoppingLearnsTheTinyProblemFarAboveAnUntrainedDecoder(@TempDir Path dir) {
        DecoderConfig dc = TinyProblem.decoderConfig(ImageInjection.INIT_STATE, 0.0);
        CaptionData train = TinyProblem.data(64, 1);
        float[][] devFeatures = TinyProblem.features(24, 2);
        List<List<int[]>> devCaptions = TinyProblem.captions(devFeatures);
        CaptionData dev = new CaptionData(FeatureSource.cached(devFeatures), devCaptions);
        BleuMetric bleu4 = BleuMetric.greedyBleu4(10);
        assertThat(bleu4.name()).isEqualTo("bleu4");

        double untrained;
        try (LstmCaptionDecoder fresh = LstmCaptionDecoder.create(dc, 1)) {
            untrained = bleu4.evaluate(fresh, devFeatures, devCaptions);
        }
        TrainingResult r = Trainer.builder().setDecoderConfig(dc).setWorkDir(dir).optMetric(bleu4)
                .setTrainingConfig(TrainingConfig.builder().optEpochs(12).optBatchSize(16).optLearningRate(0.02)
                        .optPatience(3).optSeed(3).build())
                .build().fit(train, dev);
        assertThat(r.history()).allMatch(e -> e.metricName().equals("bleu4") && !Double.isNaN(e.valMetric()));
        double best;
        try (LstmCaptionDecoder trained = LstmCaptionDecoder.load(r.bestDecoder())) {
            best = bleu4.evaluate(trained, devFeatures, devCaptions);
        }
        assertThat(best).isEqualTo(r.bestScore());
        assertThat(untrained).isLessThan(0.3);
        assertThat(best).isGreaterThan(0.6);
    }
}
