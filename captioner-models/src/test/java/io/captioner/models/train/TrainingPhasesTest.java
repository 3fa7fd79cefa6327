package io.captioner.models.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.captioner.models.decoder.DecoderConfig;
import io.captioner.models.decoder.ImageInjection;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The trainer sums each training batch's phase times into {@link TrainingContext#phases()}. */
class TrainingPhasesTest {

    @Test
    void everyTrainingBatchAndSampleIsCountedWithItsPhaseTimes() {
        DecoderConfig dc = TinyProblem.decoderConfig(ImageInjection.FIRST_INPUT, 0.1);
        CaptionData train = TinyProblem.data(16, 1);
        AtomicReference<TrainingPhases> atEnd = new AtomicReference<>();
        TrainingConfig tc = TrainingConfig.builder().optEpochs(2).optBatchSize(5).optPatience(0).optSeed(3).build();
        Trainer.builder().setDecoder(dc).setTrainingConfig(tc).addListeners(new TrainingListener() {
            @Override
            public void onTrainingEnd(TrainingContext context, TrainingResult result) {
                atEnd.set(context.phases());
            }
        }).build().fit(train, TinyProblem.data(8, 2));
        TrainingPhases p = atEnd.get();
        int samples = train.sampleCount();
        assertThat(p.samples()).isEqualTo(2L * samples);
        assertThat(p.batches()).isEqualTo(2L * ((samples + 4) / 5));
        assertThat(java.util.List.of(p.dataSeconds(), p.featuresSeconds(), p.forwardSeconds(), p.backwardSeconds(),
                p.optimizerSeconds(), p.listenerSeconds())).allSatisfy(t -> assertThat(t).isGreaterThanOrEqualTo(0));
        assertThat(p.forwardSeconds()).isPositive();
        assertThat(p.backwardSeconds()).isPositive();
        assertThat(p.samplesPerSecond()).isCloseTo(p.samples() / p.totalSeconds(),
                org.assertj.core.api.Assertions.within(1e-9));
    }
}
