package io.captioner.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The in-memory model: records, lookup, splits, equality. */
class CaptionDatasetTest {

    @Test
    void lookupByIdFindsTheRecord() {
        CaptionDataset ds = Fixtures.small();
        assertThat(ds.get("300_c.jpg").captions()).containsExactly("A man surfs a wave .");
        assertThat(ds.find("nope.jpg")).isEmpty();
        assertThat(ds.contains("100_a.jpg")).isTrue();
        assertThatThrownBy(() -> ds.get("nope.jpg")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nope.jpg");
    }

    @Test
    void splitKeepsDatasetOrder() {
        assertThat(Fixtures.small().split(Split.TRAIN)).extracting(ImageCaptions::imageId)
                .containsExactly("100_a.jpg", "300_c.jpg");
    }

    @Test
    void captionsOfASplitAreFlattenedInOrder() {
        assertThat(Fixtures.small().captions(Split.TRAIN)).containsExactly(
                "A dog runs , fast .", "A brown dog runs on \"grass\" .", "Dog running", "A man surfs a wave .");
        assertThat(Fixtures.small().captions(Split.NONE)).isEmpty();
    }

    @Test
    void countsImagesCaptionsAndSplitSizes() {
        CaptionDataset ds = Fixtures.small();
        assertThat(ds.size()).isEqualTo(4);
        assertThat(ds.captionCount()).isEqualTo(9);
        assertThat(ds.splitSizes()).containsEntry(Split.TRAIN, 2).containsEntry(Split.DEV, 1)
                .containsEntry(Split.TEST, 1).containsEntry(Split.NONE, 0);
    }

    @Test
    void imagePathResolvesAgainstTheImageDirectory() {
        Path images = Path.of("/data/imgs");
        CaptionDataset ds = CaptionDataset.of(Fixtures.small().images(), images);
        assertThat(ds.imagePath("100_a.jpg")).isEqualTo(images.resolve("100_a.jpg"));
        assertThatThrownBy(() -> ds.imagePath("other.jpg")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void equalityIgnoresImageDirectoryButNotCaptionsOrSplits() {
        CaptionDataset a = CaptionDataset.of(Fixtures.small().images(), Path.of("x"));
        CaptionDataset b = CaptionDataset.of(Fixtures.small().images(), Path.of("y"));
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        List<ImageCaptions> changed = new ArrayList<>(a.images());
        changed.set(0, changed.get(0).withSplit(Split.TEST));
        assertThat(CaptionDataset.of(changed, Path.of("x"))).isNotEqualTo(a);
    }

    @Test
    void repeatedIdIsRejected() {
        ImageCaptions one = new ImageCaptions("a.jpg", Split.TRAIN, List.of("x"));
        assertThatThrownBy(() -> CaptionDataset.of(List.of(one, one), Path.of(".")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a.jpg");
    }

    @Test
    void recordRejectsBlankCaptionsAndIdsWithHash() {
        assertThatThrownBy(() -> new ImageCaptions("a.jpg", Split.TRAIN, List.of("ok", " ")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("caption #1");
        assertThatThrownBy(() -> new ImageCaptions("a.jpg#0", Split.TRAIN, List.of("ok")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'#'");
        assertThatThrownBy(() -> new ImageCaptions("a.jpg", Split.TRAIN, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void recordCaptionsAreUnmodifiable() {
        List<String> captions = new ArrayList<>(List.of("x"));
        ImageCaptions image = new ImageCaptions("a.jpg", Split.TRAIN, captions);
        captions.add("y");
        assertThat(image.captions()).containsExactly("x");
        assertThatThrownBy(() -> image.captions().add("z")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void inMemoryReportListsImagesInNoSplit() {
        CaptionDataset ds = CaptionDataset.of(List.of(
                new ImageCaptions("a.jpg", Split.NONE, List.of("x")),
                new ImageCaptions("b.jpg", Split.TRAIN, List.of("y"))), Path.of("."));
        assertThat(ds.layout()).isEqualTo(DatasetLayout.IN_MEMORY);
        assertThat(ds.report().imagesInNoSplit()).containsExactly("a.jpg");
    }

    @Test
    void toStringSummarisesSplits() {
        assertThat(Fixtures.small().toString()).contains("images=4").contains("train 2").contains("captions=9");
    }
}
