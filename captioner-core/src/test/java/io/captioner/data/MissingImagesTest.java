package io.captioner.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.captioner.CaptionerException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checking for and skipping image files that are not on disk. */
class MissingImagesTest {

    @TempDir
    Path dir;

    private Path imageDir;

    @BeforeEach
    void corpusWithOneOfTwoImages() throws Exception {
        Fixtures.twoImages(dir);
        imageDir = Files.createDirectories(dir.resolve("Flicker8k_Dataset"));
        Files.write(imageDir.resolve("a.jpg"), new byte[] {1, 2, 3});
    }

    @Test
    void readingAnnotationsDoesNotRequireImages() {
        CaptionDataset ds = Flickr8kReader.load(dir);
        assertThat(ds.size()).isEqualTo(2);
        assertThat(ds.imageDir()).isEqualTo(imageDir);
    }

    @Test
    void missingImagesListsTheAbsentIds() {
        assertThat(Flickr8kReader.load(dir).missingImages()).containsExactly("b.jpg");
    }

    @Test
    void verifyImagesFailsWithCountDirectoryAndIds() {
        CaptionDataset ds = Flickr8kReader.load(dir);
        assertThatThrownBy(ds::verifyImages).isInstanceOf(CaptionerException.class)
                .hasMessageContaining("1 of 2 images are missing")
                .hasMessageContaining(imageDir.toString())
                .hasMessageContaining("b.jpg");
    }

    @Test
    void verifyOptionFailsTheRead() {
        Flickr8kReader reader = Flickr8kReader.builder().optVerifyImages(true).build();
        assertThatThrownBy(() -> reader.read(dir)).isInstanceOf(CaptionerException.class)
                .hasMessageContaining("b.jpg");
    }

    @Test
    void verifyPassesWhenAllImagesExist() throws Exception {
        Files.write(imageDir.resolve("b.jpg"), new byte[] {4});
        CaptionDataset ds = Flickr8kReader.builder().optVerifyImages(true).build().read(dir);
        assertThat(ds.verifyImages()).isSameAs(ds);
    }

    @Test
    void skipOptionDropsMissingImagesAndReportsThem() {
        CaptionDataset ds = Flickr8kReader.builder().optSkipMissingImages(true).build().read(dir);
        assertThat(ds.size()).isEqualTo(1);
        assertThat(ds.contains("b.jpg")).isFalse();
        assertThat(ds.report().skippedMissingImages()).containsExactly("b.jpg");
        assertThat(ds.report().warnings()).anyMatch(w -> w.contains("skipped 1 of 2") && w.contains("b.jpg"));
    }

    @Test
    void messageListsOnlyTheFirstFiveIdsAndCountsTheRest() {
        StringBuilder token = new StringBuilder();
        StringBuilder train = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            token.append("m").append(i).append(".jpg#0\tcaption\n");
            train.append("m").append(i).append(".jpg\n");
        }
        Fixtures.original(dir, token.toString(), train.toString(), "", "");
        assertThatThrownBy(() -> Flickr8kReader.load(dir).verifyImages())
                .hasMessageContaining("8 of 8").hasMessageContaining("m4.jpg, ... (3 more)")
                .hasMessageNotContaining("m5.jpg");
    }
}
