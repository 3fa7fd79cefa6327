package io.captioner.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.captioner.DecodingOptions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a request's query parameters change the captioner's default decoding options. */
class CaptionQueryTest {

    private static final DecodingOptions BEAM_3 = DecodingOptions.builder().optBeamSize(3).optMaxLength(16).build();

    private static DecodingOptions options(String name, String value, DecodingOptions defaults) {
        return CaptionQuery.parse(Map.of(name, List.of(value))).options(defaults);
    }

    @Test
    void noParameterKeepsTheCaptionersDefaultsAsTheyAre() {
        assertThat(CaptionQuery.parse(Map.of()).options(BEAM_3)).isSameAs(BEAM_3);
    }

    @Test
    void maxLengthAloneKeepsTheDefaultBeam() {
        DecodingOptions o = options("max_length", "5", BEAM_3);
        assertThat(o.strategy()).isEqualTo(DecodingOptions.Strategy.BEAM);
        assertThat(o.beamSize()).isEqualTo(3);
        assertThat(o.maxLength()).isEqualTo(5);
    }

    @Test
    void beamOneIsGreedyEvenWhenTheDefaultIsBeamSearch() {
        DecodingOptions o = options("beam", "1", BEAM_3);
        assertThat(o.strategy()).isEqualTo(DecodingOptions.Strategy.GREEDY);
        assertThat(o.maxLength()).as("other defaults kept").isEqualTo(16);
    }

    @Test
    void nbestWithoutBeamWidensTheDefaultBeamButNeverNarrowsIt() {
        assertThat(options("nbest", "2", BEAM_3).beamSize()).isEqualTo(3);
        assertThat(options("nbest", "2", BEAM_3).nBest()).isEqualTo(2);
        assertThat(options("nbest", "5", BEAM_3).beamSize()).isEqualTo(5);
        assertThat(options("nbest", "4", DecodingOptions.defaults()).beamSize()).isEqualTo(4);
    }

    @Test
    void maxLengthBelowTheDefaultMinimumLowersTheMinimum() {
        DecodingOptions atLeastFour = DecodingOptions.builder().optMinLength(4).build();
        DecodingOptions o = options("max_length", "2", atLeastFour);
        assertThat(o.maxLength()).isEqualTo(2);
        assertThat(o.minLength()).isEqualTo(2);
    }
}
