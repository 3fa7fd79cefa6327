package io.captioner.data;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Caption counts and token-length percentiles. */
class DatasetStatsTest {

    /** A train image whose captions have 1..20 tokens, and a test image with one 3-token caption. */
    private static CaptionDataset lengths1To20() {
        List<String> captions = new ArrayList<>();
        for (int n = 1; n <= 20; n++) {
            captions.add(("w ".repeat(n)).trim() + " .");
        }
        return CaptionDataset.of(List.of(
                new ImageCaptions("a.jpg", Split.TRAIN, captions.subList(0, 10)),
                new ImageCaptions("b.jpg", Split.TRAIN, captions.subList(10, 20)),
                new ImageCaptions("c.jpg", Split.TEST, List.of("One, two: three!"))), Path.of("."));
    }

    @Test
    void countsImagesAndCaptionsPerSplit() {
        DatasetStats stats = DatasetStats.of(lengths1To20());
        assertThat(stats.splits().get(Split.TRAIN).images()).isEqualTo(2);
        assertThat(stats.splits().get(Split.TRAIN).captions()).isEqualTo(20);
        assertThat(stats.splits().get(Split.TEST).captions()).isEqualTo(1);
        assertThat(stats.splits().get(Split.DEV).captions()).isZero();
        assertThat(stats.total().images()).isEqualTo(3);
        assertThat(stats.total().captions()).isEqualTo(21);
    }

    @Test
    void lengthsAreTokenCountsWithoutPunctuation() {
        DatasetStats stats = DatasetStats.of(lengths1To20());
        assertThat(stats.splits().get(Split.TEST).maxTokens()).isEqualTo(3);
        assertThat(stats.splits().get(Split.TRAIN).maxTokens()).isEqualTo(20);
    }

    @Test
    void percentilesUseNearestRank() {
        DatasetStats.Counts train = DatasetStats.of(lengths1To20()).splits().get(Split.TRAIN);
        assertThat(train.p50Tokens()).isEqualTo(10);
        assertThat(train.p95Tokens()).isEqualTo(19);
        assertThat(train.meanTokens()).isEqualTo(10.5);
        assertThat(DatasetStats.percentile(List.of(7), 50)).isEqualTo(7);
        assertThat(DatasetStats.percentile(List.of(), 95)).isZero();
    }

    @Test
    void jsonHasTotalAndEverySplit() {
        JsonObject json = JsonParser.parseString(DatasetStats.of(lengths1To20()).toJson()).getAsJsonObject();
        assertThat(json.getAsJsonObject("total").get("captions").getAsInt()).isEqualTo(21);
        assertThat(json.getAsJsonObject("splits").keySet()).containsExactly("train", "dev", "test", "none");
        assertThat(json.getAsJsonObject("splits").getAsJsonObject("train").get("p95Tokens").getAsInt())
                .isEqualTo(19);
    }

    @Test
    void tableHasAHeaderARowPerSplitAndATotal() {
        String table = DatasetStats.of(lengths1To20()).toTable();
        assertThat(table.split("\n")).hasSize(6);
        assertThat(table).contains("train").contains("total");
    }
}
