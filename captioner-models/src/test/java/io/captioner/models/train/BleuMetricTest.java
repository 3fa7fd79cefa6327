package io.captioner.models.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.captioner.data.EncodedCaptions;
import io.captioner.models.decoder.DecoderConfig;
import io.captioner.models.decoder.ImageInjection;
import io.captioner.models.decoder.LstmCaptionDecoder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BleuMetricTest {

    @Test
    void trainingWithBleuEarlyStoppingLearnsTheTinyProblemFarAboveAnUntrainedDecoder(@TempDir Path dir) {
        DecoderConfig dc = TinyProblem.decoderConfig(ImageInjection.INIT_STATE, 0.0);
        CaptionData train = TinyProblem.data(64, 1);
        float[][] devFeatures = TinyProblem.features(24, 2);
        EncodedCaptions devCaptions = TinyProblem.captions(devFeatures);
        CaptionData dev = new CaptionData(FeatureSource.cached(devFeatures), devCaptions);
        BleuMetric bleu4 = BleuMetric.greedyBleu4(10);
        assertThat(bleu4.name()).isEqualTo("bleu4");

        double untrained;
        try (LstmCaptionDecoder fresh = LstmCaptionDecoder.create(dc, 1)) {
            untrained = bleu4.evaluate(fresh, devFeatures, devCaptions);
        }
        TrainingConfig tc = TrainingConfig.builder().optEpochs(12).optBatchSize(16).optLearningRate(0.02)
                .optPatience(3).optSeed(3).build();
        TrainingResult r = Trainer.builder().setDecoder(dc).optMetric(bleu4).setTrainingConfig(tc)
                .addListeners(TrainingListeners.standard(dir, tc)).build().fit(train, dev);
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
