package io.captioner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class AttentionWeightsTest {

    private static final float[][] ROWS = {
        {0.1f, 0.2f, 0.3f, 0.05f, 0.15f, 0.2f},
        {0.5f, 0f, 0f, 0f, 0f, 0.5f}
    };

    @Test
    void rowsAreLocationMajorWithYTimesWidthPlusX() {
        AttentionWeights a = AttentionWeights.of(2, 3, ROWS);
        assertThat(a.tokens()).isEqualTo(2);
        assertThat(a.weight(0, 1, 0)).isEqualTo(0.05f);
        assertThat(a.weight(1, 1, 2)).isEqualTo(0.5f);
        assertThat(a.grid(0)).isDeepEqualTo(new float[][] {{0.1f, 0.2f, 0.3f}, {0.05f, 0.15f, 0.2f}});
        assertThat(a.weights(1)).containsExactly(ROWS[1]);
    }

    @Test
    void weightsAreCopiedInAndOut() {
        float[][] rows = {ROWS[0].clone()};
        AttentionWeights a = AttentionWeights.of(2, 3, rows);
        rows[0][0] = 9f;
        a.weights(0)[0] = 9f;
        assertThat(a.weight(0, 0, 0)).isEqualTo(0.1f);
        assertThat(a).isEqualTo(AttentionWeights.of(2, 3, new float[][] {ROWS[0]}));
    }

    @Test
    void rowsOfTheWrongLengthAndLocationsOutsideTheMapAreRejected() {
        assertThatThrownBy(() -> AttentionWeights.of(2, 3, new float[][] {new float[5]}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("attention row 0 must have 2 x 3 = 6 weights, found 5");
        assertThatThrownBy(() -> AttentionWeights.of(2, 3, ROWS).weight(0, 2, 0))
                .isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("(2, 0) is outside the 2 x 3 map");
    }

    @Test
    void emptyStandsForNoAttentionAndIsWhatCaptionsCarryByDefault() {
        assertThat(AttentionWeights.empty().isEmpty()).isTrue();
        assertThat(AttentionWeights.empty().height()).isZero();
        assertThat(Caption.of(List.of("a"), List.of(-1.0)).attention()).isEqualTo(AttentionWeights.empty());
    }

    @Test
    void aCaptionNeedsOneRowPerTokenAndKeepsItsWeightsWithAlternatives() {
        AttentionWeights two = AttentionWeights.of(2, 3, ROWS);
        assertThatThrownBy(() -> new Caption("a", List.of("a"), -1, List.of(-1.0), List.of(), two))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("one row per token, found 2 rows for 1 tokens");
        Caption c = new Caption("a dog", List.of("a", "dog"), -1, List.of(-0.5, -0.5), List.of(), two);
        assertThat(c.withAlternatives(List.of(Caption.of(List.of("dog"), List.of(-2.0)))).attention())
                .isEqualTo(two);
    }
}
