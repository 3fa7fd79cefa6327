package io.captioner.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.captioner.DecodingOptions;
import io.captioner.DecodingOptions.LengthPenalty;
import org.junit.jupiter.api.Test;

class ScoringTest {

    @Test
    void divisorsFollowTheirFormulas() {
        assertThat(Scoring.divisor(LengthPenalty.NONE, 0.7, 9)).isEqualTo(1.0);
        assertThat(Scoring.divisor(LengthPenalty.AVERAGE, 0.7, 9)).isEqualTo(9.0);
        assertThat(Scoring.divisor(LengthPenalty.GNMT, 0.7, 7)).isCloseTo(Math.pow(2.0, 0.7),
                within(1e-15));
        assertThat(Scoring.divisor(LengthPenalty.GNMT, 0.0, 7)).isEqualTo(1.0);
    }

    @Test
    void upperBoundIsAtLeastTheScoreOfEveryPossibleExtension() {
        for (LengthPenalty penalty : LengthPenalty.values()) {
            DecodingOptions options = DecodingOptions.builder().optMaxLength(10)
                    .optLengthPenalty(penalty, 1.5).build();
            for (int length = 0; length <= 10; length++) {
                double live = -2.5;
                double bound = Scoring.upperBound(live, options);
                for (int steps = length + 1; steps <= 11; steps++) {
                    for (double more = 0; more <= 3; more += 0.25) {
                        assertThat(Scoring.score(live - more, steps, options))
                                .as("%s steps=%d", penalty, steps).isLessThanOrEqualTo(bound);
                    }
                }
            }
        }
    }
}
