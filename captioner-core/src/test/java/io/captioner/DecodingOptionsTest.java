package io.captioner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class DecodingOptionsTest {

    @Test
    void defaultsAreGreedyTwentyTokens() {
        DecodingOptions o = DecodingOptions.defaults();
        assertThat(o.strategy()).isEqualTo(DecodingOptions.Strategy.GREEDY);
        assertThat(o.maxLength()).isEqualTo(20);
        assertThat(o.suppressUnk()).isTrue();
    }

    @Test
    void beamWidthAboveOneSelectsBeamSearchWhateverTheSetterOrder() {
        DecodingOptions a = DecodingOptions.builder().optNBest(3).optBeamSize(5).build();
        DecodingOptions b = DecodingOptions.builder().optBeamSize(5).optNBest(3).build();
        assertThat(a).isEqualTo(b);
        assertThat(a.strategy()).isEqualTo(DecodingOptions.Strategy.BEAM);
        assertThat(a.toString()).contains("beam k=5 nBest=3");
    }

    @Test
    void invalidValuesNameFieldAndValue() {
        assertThatThrownBy(() -> DecodingOptions.builder().optBeamSize(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("beamSize must be at least 1, found 0");
        assertThatThrownBy(() -> DecodingOptions.builder().optBeamSize(2).optNBest(3).build())
                .hasMessageContaining("nBest").hasMessageContaining("found 3");
        assertThatThrownBy(() -> DecodingOptions.builder().optTemperature(0).build())
                .hasMessageContaining("temperature").hasMessageContaining("found 0.0");
        assertThatThrownBy(() -> DecodingOptions.builder().optTopP(1.5).build()).hasMessageContaining("topP");
        assertThatThrownBy(() -> DecodingOptions.builder().optMinLength(30).build())
                .hasMessageContaining("minLength").hasMessageContaining("found 30");
    }

    @Test
    void toBuilderRoundTrips() {
        DecodingOptions o = DecodingOptions.builder().optStrategy(DecodingOptions.Strategy.SAMPLE)
                .optTemperature(0.7).optTopK(5).optTopP(0.9).optSeed(42).optNoRepeatNgramSize(2).build();
        assertThat(o.toBuilder().build()).isEqualTo(o);
    }

    @Test
    void captionTextMustMatchTokens() {
        Caption c = Caption.of(List.of("a", "dog"), List.of(-0.5, -0.25, -0.25));
        assertThat(c.text()).isEqualTo("a dog");
        assertThat(c.logProb()).isEqualTo(-1.0);
        assertThatThrownBy(() -> new Caption("a cat", List.of("a", "dog"), 0, List.of(0.0, 0.0), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a cat'");
        assertThatThrownBy(() -> Caption.of(List.of("a", "dog"), List.of(-1.0)))
                .hasMessageContaining("found 1 for 2 tokens");
    }

    @Test
    void attentionIsOffByDefaultAndSurvivesTheBuilderRoundTrip() {
        assertThat(DecodingOptions.defaults().attention()).isFalse();
        DecodingOptions o = DecodingOptions.builder().optBeamSize(3).optAttention(true).build();
        assertThat(o.attention()).isTrue();
        assertThat(o.toBuilder().build()).isEqualTo(o);
        assertThat(o.toString()).contains(" attention");
    }
}
