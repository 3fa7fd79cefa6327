package io.captioner.models.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class TrainingConfigTest {

    @Test
    void stepScheduleDecaysEveryStepEpochs() {
        TrainingConfig c = TrainingConfig.builder().optLearningRate(0.1).optSchedule(LearningRateSchedule.STEP)
                .optStep(2, 0.5).build();
        assertThat(c.learningRateAt(0)).isEqualTo(0.1);
        assertThat(c.learningRateAt(1)).isEqualTo(0.1);
        assertThat(c.learningRateAt(2)).isCloseTo(0.05, within(1e-12));
        assertThat(c.learningRateAt(5)).isCloseTo(0.025, within(1e-12));
    }

    @Test
    void cosineScheduleStartsAtTheBaseRateAndApproachesTheFloor() {
        TrainingConfig c = TrainingConfig.builder().optEpochs(10).optLearningRate(0.1).optMinLearningRate(0.01)
                .optSchedule(LearningRateSchedule.COSINE).build();
        assertThat(c.learningRateAt(0)).isCloseTo(0.1, within(1e-12));
        assertThat(c.learningRateAt(5)).isCloseTo(0.055, within(1e-12));
        assertThat(c.learningRateAt(9)).isLessThan(0.015).isGreaterThan(0.01);
    }

    @Test
    void constantScheduleNeverChanges() {
        TrainingConfig c = TrainingConfig.builder().optLearningRate(0.02).build();
        assertThat(c.learningRateAt(0)).isEqualTo(c.learningRateAt(19)).isEqualTo(0.02);
    }

    @Test
    void invalidValuesNameTheFieldAndValue() {
        assertThatThrownBy(() -> TrainingConfig.builder().optBatchSize(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batchSize").hasMessageContaining("0");
        assertThatThrownBy(() -> TrainingConfig.builder().optLearningRate(0.01).optMinLearningRate(0.1).build())
                .hasMessageContaining("minLearningRate").hasMessageContaining("0.1");
        assertThatThrownBy(() -> TrainingConfig.builder().optGradientClipNorm(-1).build())
                .hasMessageContaining("gradientClipNorm");
    }

    @Test
    void toStringShowsEveryFieldAndToBuilderRoundTrips() {
        TrainingConfig c = TrainingConfig.builder().optEpochs(3).optSeed(9).build();
        assertThat(c.toString()).contains("epochs=3", "batchSize=64", "learningRate=0.001", "gradientClipNorm=5.0",
                "schedule=CONSTANT", "seed=9", "patience=3", "maxCaptionLength=20", "groupByImage=false");
        assertThat(c.toBuilder().build()).isEqualTo(c);
    }
}
