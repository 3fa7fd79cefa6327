package io.captioner.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The training-throughput benchmark runs both implementations on the same small data, times only
 * the batches after the warm-up, and reports each implementation's phases; the forked mode brings
 * the child JVMs' results back.
 */
class TrainingThroughputTest {

    private static final TrainingThroughput.Settings SMALL =
            new TrainingThroughput.Settings(24, 5, 40, 16, 16, 32, 16, 2, 3);

    @Test
    void bothImplementationsTrainTheSameCaptionsAndTimeThoseAfterTheWarmUp() {
        List<String> log = new ArrayList<>();
        for (String impl : List.of(TrainingThroughput.PROJECT, TrainingThroughput.NAIVE)) {
            TrainingThroughput.Result r = TrainingThroughput.run(impl, SMALL, log::add);
            assertThat(r.timedCaptions()).as(impl).isEqualTo(SMALL.captions() - 2L * SMALL.batch());
            assertThat(r.captionsPerSecond()).as(impl).isPositive();
            assertThat(r.phases()).as(impl).containsKeys("data", "forward", "backward", "optimizer");
            assertThat(r.phases().get("forward")).as(impl).isPositive();
            assertThat(r.json().get("epochSeconds").getAsDouble()).as(impl).isPositive();
        }
    }

    @Test
    void theDataAreTheSameForTheSameSettingsAndFollowTheCaptionLengthRule() {
        TrainingThroughput.Data a = TrainingThroughput.data(SMALL);
        TrainingThroughput.Data b = TrainingThroughput.data(SMALL);
        assertThat(a.features()).isDeepEqualTo(b.features());
        assertThat(a.captions()).hasSize(SMALL.images());
        for (List<int[]> captions : a.captions()) {
            assertThat(captions).hasSize(SMALL.captionsPerImage())
                    .allSatisfy(c -> assertThat(c.length).isBetween(4, TrainingThroughput.Settings.MAX_WORDS));
        }
    }

    @Test
    @Tag("slow") // a child JVM starts PyTorch: about 10 s on a busy 2-core machine
    void forkedRunsReturnTheChildrensResults() {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<TrainingThroughput.Result> results = TrainingThroughput.runForked(List.of(TrainingThroughput.PROJECT),
                SMALL, "512m", classPath, line -> { });
        assertThat(results).hasSize(1);
        assertThat(results.get(0).impl()).isEqualTo(TrainingThroughput.PROJECT);
        assertThat(results.get(0).peakRssMiB()).isPositive();
    }

    @Test
    void settingsWithMoreWarmUpThanDataAreRefused() {
        assertThatThrownBy(() -> new TrainingThroughput.Settings(2, 1, 40, 16, 16, 32, 16, 1, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("warm-up");
    }
}
