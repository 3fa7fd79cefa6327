package io.captioner.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.captioner.CaptionerException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading and rejecting Kaggle's {@code captions.txt}. */
class KaggleLayoutTest {

    @TempDir
    Path dir;

    private Path csv(String text) {
        Fixtures.write(dir.resolve(Flickr8kReader.KAGGLE_FILE), text);
        return dir;
    }

    @Test
    void quotedCommasAndDoubledQuotesAreUnescaped() {
        csv("image,caption\na.jpg,\"A dog , running .\"\na.jpg,\"He said \"\"hi\"\" .\"\n");
        assertThat(Flickr8kReader.load(dir).get("a.jpg").captions())
                .containsExactly("A dog , running .", "He said \"hi\" .");
    }

    @Test
    void quotedFieldMayHoldALineBreakWhichBecomesASpace() {
        csv("image,caption\na.jpg,\"two\nlines\"\nb.jpg,next\n");
        CaptionDataset ds = Flickr8kReader.load(dir);
        assertThat(ds.get("a.jpg").captions()).containsExactly("two lines");
        assertThat(ds.get("b.jpg").captions()).containsExactly("next");
    }

    @Test
    void crlfAndByteOrderMarkAreTolerated() {
        csv("\uFEFFimage,caption\r\na.jpg,one\r\na.jpg,\"two, quoted\"\r\n");
        assertThat(Flickr8kReader.load(dir).get("a.jpg").captions()).containsExactly("one", "two, quoted");
    }

    @Test
    void unterminatedQuoteFailsWithTheLineWhereItOpened() {
        csv("image,caption\na.jpg,fine\nb.jpg,\"never closed\nc.jpg,more\n");
        assertThatThrownBy(() -> Flickr8kReader.load(dir)).isInstanceOf(CaptionerException.class)
                .hasMessageContaining(Flickr8kReader.KAGGLE_FILE + " line 3")
                .hasMessageContaining("unterminated quoted field")
                .hasMessageContaining("b.jpg,\"never closed");
    }

    @Test
    void textAfterAClosingQuoteFails() {
        csv("image,caption\na.jpg,\"quoted\" tail\n");
        assertThatThrownBy(() -> Flickr8kReader.load(dir)).isInstanceOf(CaptionerException.class)
                .hasMessageContaining("line 2").hasMessageContaining("closing quote");
    }

    @Test
    void wrongHeaderFails() {
        csv("file,text\na.jpg,one\n");
        assertThatThrownBy(() -> Flickr8kReader.load(dir)).isInstanceOf(CaptionerException.class)
                .hasMessageContaining("line 1").hasMessageContaining("expected header 'image,caption'")
                .hasMessageContaining("file,text");
    }

    @Test
    void unquotedCommaInCaptionFailsWithFieldCount() {
        csv("image,caption\na.jpg,one, two\n");
        assertThatThrownBy(() -> Flickr8kReader.load(dir)).isInstanceOf(CaptionerException.class)
                .hasMessageContaining("line 2").hasMessageContaining("found 3");
    }

    @Test
    void headerWithoutCaptionsFailsAsAnEmptyDataset() {
        csv("image,caption\n");
        assertThatThrownBy(() -> Flickr8kReader.load(dir)).isInstanceOf(CaptionerException.class)
                .hasMessageContaining("captions.txt: holds no captions");
    }

    @Test
    void quotedImageIdWithALineBreakFailsNamingTheLine() {
        csv("image,caption\n\"a\nb.jpg\",A dog .\n");
        assertThatThrownBy(() -> Flickr8kReader.load(dir)).isInstanceOf(CaptionerException.class)
                .hasMessageContaining("line 2").hasMessageContaining("'#', tab or line break");
    }

    @Test
    void emptyCaptionFails() {
        csv("image,caption\na.jpg,\n");
        assertThatThrownBy(() -> Flickr8kReader.load(dir)).isInstanceOf(CaptionerException.class)
                .hasMessageContaining("line 2").hasMessageContaining("empty caption for a.jpg");
    }

    @Test
    void sixthCaptionOfAnImageIsOutOfRange() {
        StringBuilder text = new StringBuilder("image,caption\n");
        for (int i = 0; i < 6; i++) {
            text.append("a.jpg,caption ").append(i).append('\n');
        }
        csv(text.toString());
        assertThatThrownBy(() -> Flickr8kReader.load(dir)).isInstanceOf(CaptionerException.class)
                .hasMessageContaining("line 7").hasMessageContaining("out of range 0..4");
    }

    @Test
    void originalSplitFilesBesideTheCsvAreUsed() {
        csv("image,caption\na.jpg,one\nb.jpg,two\nc.jpg,three\n");
        Fixtures.write(dir.resolve(Flickr8kReader.TRAIN_FILE), "c.jpg\n");
        Fixtures.write(dir.resolve(Flickr8kReader.DEV_FILE), "a.jpg\n");
        Fixtures.write(dir.resolve(Flickr8kReader.TEST_FILE), "b.jpg\n");
        CaptionDataset ds = Flickr8kReader.load(dir);
        assertThat(ds.layout()).isEqualTo(DatasetLayout.KAGGLE);
        assertThat(ds.get("a.jpg").split()).isEqualTo(Split.DEV);
        assertThat(ds.get("b.jpg").split()).isEqualTo(Split.TEST);
        assertThat(ds.get("c.jpg").split()).isEqualTo(Split.TRAIN);
        assertThat(ds.report().splitSource()).startsWith("split files");
    }

    @Test
    void onlySomeSplitFilesBesideTheCsvFails() {
        csv("image,caption\na.jpg,one\n");
        Fixtures.write(dir.resolve(Flickr8kReader.TRAIN_FILE), "a.jpg\n");
        assertThatThrownBy(() -> Flickr8kReader.load(dir)).isInstanceOf(CaptionerException.class)
                .hasMessageContaining(Flickr8kReader.DEV_FILE).hasMessageContaining("does not exist");
    }

    @Test
    void withoutSplitFilesAReportedDeterministicSplitIsDerived() {
        csv(manyImages(80));
        CaptionDataset first = Flickr8kReader.load(dir);
        CaptionDataset second = Flickr8kReader.load(dir);
        assertThat(first.splitSizes()).containsEntry(Split.DEV, 10).containsEntry(Split.TEST, 10)
                .containsEntry(Split.TRAIN, 60).containsEntry(Split.NONE, 0);
        assertThat(second).isEqualTo(first);
        assertThat(first.report().splitSource()).contains("seed 8").contains("10 dev");
        assertThat(first.report().warnings()).anyMatch(w -> w.contains("no split files"));
    }

    @Test
    void derivedSplitDependsOnTheSeedAndNotOnRowOrder() {
        csv(manyImages(80));
        CaptionDataset seed8 = Flickr8kReader.load(dir);
        CaptionDataset seed9 = Flickr8kReader.builder().optSplitSeed(9).build().read(dir);
        assertThat(seed9.split(Split.DEV)).isNotEqualTo(seed8.split(Split.DEV));

        List<String> lines = new ArrayList<>(List.of(manyImages(80).split("\n")));
        List<String> reversed = new ArrayList<>(lines.subList(1, lines.size()));
        java.util.Collections.reverse(reversed);
        csv("image,caption\n" + String.join("\n", reversed) + "\n");
        CaptionDataset reordered = Flickr8kReader.load(dir);
        for (ImageCaptions image : seed8.images()) {
            assertThat(reordered.get(image.imageId()).split()).isEqualTo(image.split());
        }
    }

    @Test
    void derivedSplitOfTheFullCorpusSizeIs1000DevAnd1000Test() {
        csv(manyImages(8091));
        CaptionDataset ds = Flickr8kReader.load(dir);
        assertThat(ds.splitSizes()).containsEntry(Split.DEV, 1000).containsEntry(Split.TEST, 1000)
                .containsEntry(Split.TRAIN, 6091);
    }

    private static String manyImages(int n) {
        StringBuilder sb = new StringBuilder("image,caption\n");
        for (int i = 0; i < n; i++) {
            sb.append(String.format("%05d_x.jpg,caption %d\n", i, i));
        }
        return sb.toString();
    }
}
