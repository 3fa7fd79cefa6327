package io.captioner.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.captioner.CaptionerException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading, writing and rejecting the original Flickr8k layout. */
class OriginalLayoutTest {

    @TempDir
    Path dir;

    @Test
    void writeThenReadGivesAnEqualDataset() {
        CaptionDataset original = Fixtures.small();
        Flickr8kWriter.write(original, dir);
        CaptionDataset back = Flickr8kReader.load(dir);
        assertThat(back).isEqualTo(original);
        assertThat(back.images()).isEqualTo(original.images());
        assertThat(back.layout()).isEqualTo(DatasetLayout.ORIGINAL);
    }

    @Test
    void writerLeavesImagesOfSplitNoneOutOfTheSplitFilesAndReaderRestoresThem() throws Exception {
        CaptionDataset withNone = CaptionDataset.of(List.of(
                new ImageCaptions("x.jpg", Split.TRAIN, List.of("one")),
                new ImageCaptions("y.jpg", Split.NONE, List.of("two", "three"))), dir);
        Flickr8kWriter.write(withNone, dir);
        assertThat(Files.readString(dir.resolve(Flickr8kReader.TRAIN_FILE))).isEqualTo("x.jpg\n");
        CaptionDataset back = Flickr8kReader.load(dir);
        assertThat(back).isEqualTo(withNone);
        assertThat(back.report().imagesInNoSplit()).containsExactly("y.jpg");
    }

    @Test
    void writerLeavesNoTemporaryFilesBehind() throws Exception {
        Flickr8kWriter.write(Fixtures.small(), dir);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
                    Flickr8kReader.TOKEN_FILE, Flickr8kReader.TRAIN_FILE, Flickr8kReader.DEV_FILE,
                    Flickr8kReader.TEST_FILE);
        }
    }

    @Test
    void captionsAreOrderedByNumberNotByLine() {
        Fixtures.original(dir, "a.jpg#1\tsecond\na.jpg#0\tfirst\n", "a.jpg\n", "", "");
        assertThat(Flickr8kReader.load(dir).get("a.jpg").captions()).containsExactly("first", "second");
    }

    @Test
    void typoIdIsMergedIntoItsBaseAndReported() {
        Fixtures.original(dir, "b.jpg#0\tB .\nq.jpg.1#0\tzero\nq.jpg#1\tone\nq.jpg#2\ttwo\n",
                "b.jpg\nq.jpg\n", "", "");
        CaptionDataset ds = Flickr8kReader.load(dir);
        assertThat(ds.get("q.jpg").captions()).containsExactly("zero", "one", "two");
        assertThat(ds.contains("q.jpg.1")).isFalse();
        assertThat(ds.report().repairedIds()).isEqualTo(Map.of("q.jpg.1", "q.jpg"));
        assertThat(ds.report().warnings()).anyMatch(w -> w.contains("line 2") && w.contains("q.jpg.1"));
    }

    @Test
    void typoLikeIdWhoseNumbersCollideIsKeptAsItsOwnImage() {
        Fixtures.original(dir, "q.jpg.1#0\tzero\nq.jpg#0\tone\n", "q.jpg\n", "", "");
        CaptionDataset ds = Flickr8kReader.load(dir);
        assertThat(ds.report().repairedIds()).isEmpty();
        assertThat(ds.get("q.jpg.1").split()).isEqualTo(Split.NONE);
        assertThat(ds.report().warnings()).anyMatch(w -> w.contains("kept as an image of its own"));
    }

    @Test
    void lemmaFileBesideTheTokenFileIsIgnoredEvenIfMalformed() {
        Fixtures.twoImages(dir);
        Fixtures.write(dir.resolve("Flickr8k.lemma.token.txt"), "garbage without tab\n");
        assertThat(Flickr8kReader.load(dir).size()).isEqualTo(2);
    }

    @Test
    void byteOrderMarksAreTolerated() {
        Fixtures.twoImages(dir);
        Fixtures.write(dir.resolve(Flickr8kReader.TOKEN_FILE),
                "\uFEFFa.jpg#0\tA cat .\na.jpg#1\tA cat sleeps .\nb.jpg#0\tA car .\n");
        Fixtures.write(dir.resolve(Flickr8kReader.TRAIN_FILE), "\uFEFFa.jpg\n");
        CaptionDataset ds = Flickr8kReader.load(dir);
        assertThat(ds.get("a.jpg").split()).isEqualTo(Split.TRAIN);
        assertThat(ds.get("a.jpg").captions()).containsExactly("A cat .", "A cat sleeps .");
    }

    @Test
    void crlfLineEndsAreTolerated() {
        Fixtures.original(dir, "a.jpg#0\tA cat .\r\na.jpg#1\tA cat sleeps .\r\nb.jpg#0\tA car .\r\n",
                "a.jpg\r\n", "", "b.jpg\r\n");
        CaptionDataset ds = Flickr8kReader.load(dir);
        assertThat(ds.get("a.jpg").captions()).containsExactly("A cat .", "A cat sleeps .");
        assertThat(ds.get("b.jpg").split()).isEqualTo(Split.TEST);
    }

    @Test
    void lineWithoutTabFailsWithFileLineAndText() {
        Fixtures.original(dir, "a.jpg#0\tA cat .\na.jpg#1 no tab here\n", "a.jpg\n", "", "");
        assertThatThrownBy(() -> Flickr8kReader.load(dir)).isInstanceOf(CaptionerException.class)
                .hasMessageContaining(Flickr8kReader.TOKEN_FILE + " line 2")
                .hasMessageContaining("<image>#<n><TAB><caption>")
                .hasMessageContaining("a.jpg#1 no tab here");
    }

    @Test
    void lineWithoutCaptionNumberFails() {
        Fixtures.original(dir, "a.jpg\tA cat .\n", "a.jpg\n", "", "");
        assertThatThrownBy(() -> Flickr8kReader.load(dir)).isInstanceOf(CaptionerException.class)
                .hasMessageContaining("line 1").hasMessageContaining("a.jpg\\tA cat .");
    }

    @Test
    void longOffendingTextIsTruncated() {
        String longLine = "x".repeat(500);
        Fixtures.original(dir, longLine + "\n", "", "", "");
        assertThatThrownBy(() -> Flickr8kReader.load(dir)).isInstanceOf(CaptionerException.class)
                .hasMessageContaining("x".repeat(80) + "...")
                .hasMessageNotContaining("x".repeat(81));
    }

    @Test
    void captionNumberOutOfRangeFails() {
        Fixtures.original(dir, "a.jpg#0\tzero\na.jpg#5\tfive\n", "a.jpg\n", "", "");
        assertThatThrownBy(() -> Flickr8kReader.load(dir)).isInstanceOf(CaptionerException.class)
                .hasMessageContaining("line 2").hasMessageContaining("caption number 5 out of range 0..4");
    }

    @Test
    void captionNumberRangeFollowsTheOption() {
        Fixtures.original(dir, "a.jpg#0\tzero\na.jpg#1\tone\n", "a.jpg\n", "", "");
        Flickr8kReader reader = Flickr8kReader.builder().optMaxCaptionsPerImage(1).build();
        assertThatThrownBy(() -> reader.read(dir)).hasMessageContaining("out of range 0..0");
    }

    @Test
    void duplicateCaptionNumberFailsNamingBothLines() {
        Fixtures.original(dir, "a.jpg#0\tzero\na.jpg#1\tone\na.jpg#0\tagain\n", "a.jpg\n", "", "");
        assertThatThrownBy(() -> Flickr8kReader.load(dir)).isInstanceOf(CaptionerException.class)
                .hasMessageContaining("line 3").hasMessageContaining("duplicate caption a.jpg#0")
                .hasMessageContaining("first at line 1");
    }

    @Test
    void gapInCaptionNumbersFails() {
        Fixtures.original(dir, "a.jpg#0\tzero\na.jpg#2\ttwo\n", "a.jpg\n", "", "");
        assertThatThrownBy(() -> Flickr8kReader.load(dir)).isInstanceOf(CaptionerException.class)
                .hasMessageContaining("a.jpg").hasMessageContaining("missing #1");
    }

    @Test
    void emptyCaptionFails() {
        Fixtures.original(dir, "a.jpg#0\tzero\na.jpg#1\t   \n", "a.jpg\n", "", "");
        assertThatThrownBy(() -> Flickr8kReader.load(dir)).isInstanceOf(CaptionerException.class)
                .hasMessageContaining("line 2").hasMessageContaining("empty caption for a.jpg#1");
    }

    @Test
    void missingSplitFileFailsNamingIt() throws Exception {
        Fixtures.twoImages(dir);
        Files.delete(dir.resolve(Flickr8kReader.DEV_FILE));
        assertThatThrownBy(() -> Flickr8kReader.load(dir)).isInstanceOf(CaptionerException.class)
                .hasMessageContaining("split file " + dir.resolve(Flickr8kReader.DEV_FILE))
                .hasMessageContaining("does not exist");
    }

    @Test
    void splitFileNamingAnUnknownImageFails() {
        Fixtures.original(dir, "a.jpg#0\tzero\n", "a.jpg\n", "ghost.jpg\n", "");
        assertThatThrownBy(() -> Flickr8kReader.load(dir)).isInstanceOf(CaptionerException.class)
                .hasMessageContaining(Flickr8kReader.DEV_FILE + " line 1")
                .hasMessageContaining("not in " + Flickr8kReader.TOKEN_FILE)
                .hasMessageContaining("ghost.jpg");
    }

    @Test
    void imageInTwoSplitsFails() {
        Fixtures.original(dir, "a.jpg#0\tzero\n", "a.jpg\n", "", "a.jpg\n");
        assertThatThrownBy(() -> Flickr8kReader.load(dir)).isInstanceOf(CaptionerException.class)
                .hasMessageContaining(Flickr8kReader.TEST_FILE + " line 1")
                .hasMessageContaining("already listed at " + Flickr8kReader.TRAIN_FILE + " line 1");
    }

    @Test
    void invalidUtf8Fails() {
        Fixtures.twoImages(dir);
        Fixtures.writeBytes(dir.resolve(Flickr8kReader.TOKEN_FILE),
                "a.jpg#0\tcaf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> Flickr8kReader.load(dir)).isInstanceOf(CaptionerException.class)
                .hasMessageContaining("not valid UTF-8");
    }

    @Test
    void explicitTokenAndSplitFilesAreRead() {
        Path other = dir.resolve("elsewhere");
        Fixtures.write(dir.resolve("tokens.tsv"), "a.jpg#0\tzero\nb.jpg#0\tone\n");
        Fixtures.write(other.resolve("tr.txt"), "b.jpg\n");
        Fixtures.write(other.resolve("dv.txt"), "a.jpg\n");
        Fixtures.write(other.resolve("te.txt"), "");
        CaptionDataset ds = Flickr8kReader.builder()
                .optCaptionFile(dir.resolve("tokens.tsv"))
                .optSplitFiles(other.resolve("tr.txt"), other.resolve("dv.txt"), other.resolve("te.txt"))
                .optImageDir(dir.resolve("pics"))
                .build().read(null);
        assertThat(ds.layout()).isEqualTo(DatasetLayout.ORIGINAL);
        assertThat(ds.get("b.jpg").split()).isEqualTo(Split.TRAIN);
        assertThat(ds.get("a.jpg").split()).isEqualTo(Split.DEV);
        assertThat(ds.imagePath("a.jpg")).isEqualTo(dir.resolve("pics").resolve("a.jpg"));
    }
}
