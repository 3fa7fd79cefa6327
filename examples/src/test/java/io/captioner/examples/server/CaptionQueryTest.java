package io.captioner.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.captioner.DecodingOptions;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

    /** A model's saved options where every field differs from the library defaults. */
    private static final DecodingOptions MODEL = DecodingOptions.builder()
            .optStrategy(DecodingOptions.Strategy.BEAM).optBeamSize(4).optNBest(2).optMaxLength(16).optMinLength(3)
            .optLengthPenalty(DecodingOptions.LengthPenalty.GNMT, 0.6).optTemperature(0.9).optTopK(5).optTopP(0.8)
            .optSeed(7).optNoRepeatNgramSize(3).optNoImmediateRepeat(true).optSuppressUnk(false).build();
    private static final DecodingOptions GREEDY_MODEL = MODEL.toBuilder()
            .optStrategy(DecodingOptions.Strategy.GREEDY).optBeamSize(1).optNBest(1).build();
    private static final DecodingOptions SAMPLING_MODEL = GREEDY_MODEL.toBuilder()
            .optStrategy(DecodingOptions.Strategy.SAMPLE).build();

    /**
     * Each case gives a query, the model's options, and every option the query may change (as
     * component=value); all other components must keep the model's value.
     */
    @ParameterizedTest(name = "{0} on the {1} model changes only {2}")
    @CsvSource(delimiter = '|', value = {
        "beam=6        | beam     | beamSize=6",
        "beam=3        | beam     | beamSize=3",
        "beam=1        | beam     | strategy=GREEDY; beamSize=1; nBest=1",
        "beam=5        | greedy   | strategy=BEAM; beamSize=5",
        "beam=5        | sampling | strategy=BEAM; beamSize=5",
        "nbest=3       | beam     | nBest=3",
        "nbest=1       | beam     | nBest=1",
        "nbest=6       | beam     | nBest=6; beamSize=6",
        "nbest=2       | greedy   | nBest=2; strategy=BEAM; beamSize=2",
        "nbest=1       | sampling | nBest=1",
        "max_length=10 | beam     | maxLength=10",
        "max_length=2  | beam     | maxLength=2; minLength=2",
        "beam=5&nbest=5| beam     | beamSize=5; nBest=5",
    })
    void eachParameterOverridesOnlyItselfOnTheModelsOwnOptions(String query, String model, String changes) {
        DecodingOptions defaults = switch (model) {
            case "beam" -> MODEL;
            case "greedy" -> GREEDY_MODEL;
            case "sampling" -> SAMPLING_MODEL;
            default -> throw new IllegalArgumentException(model);
        };
        Map<String, List<String>> params = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            String[] kv = pair.split("=", 2);
            params.put(kv[0], List.of(kv[1]));
        }
        Map<String, String> expected = new LinkedHashMap<>();
        for (String change : changes.split(";")) {
            String[] kv = change.trim().split("=", 2);
            expected.put(kv[0], kv[1]);
        }

        DecodingOptions got = CaptionQuery.parse(params).options(defaults);

        for (RecordComponent c : DecodingOptions.class.getRecordComponents()) {
            String value = String.valueOf(read(c, got));
            String want = expected.getOrDefault(c.getName(), String.valueOf(read(c, defaults)));
            assertThat(value).as("%s after ?%s", c.getName(), query).isEqualTo(want);
        }
        assertThat(expected.keySet()).as("the case names real components")
                .isSubsetOf(Arrays.stream(DecodingOptions.class.getRecordComponents())
                        .map(RecordComponent::getName).toList());
    }

    private static Object read(RecordComponent component, DecodingOptions options) {
        try {
            return component.getAccessor().invoke(options);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
