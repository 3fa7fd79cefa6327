package io.captioner.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.captioner.CaptionerException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Layout detection, explicit layouts and agreement of the three readers. */
class LayoutDetectionTest {

    @TempDir
    Path dir;

    @Test
    void allThreeLayoutsOfTheSameCorpusReadEqual() {
        CaptionDataset expected = Fixtures.small();
        Path original = dir.resolve("original");
        Flickr8kWriter.write(expected, original);
        Path kaggle = dir.resolve("kaggle");
        Fixtures.write(kaggle.resolve(Flickr8kReader.KAGGLE_FILE), Fixtures.smallKaggleCsv());
        // Kaggle has no split of its own: give it the original split files beside it.
        for (String f : new String[] {Flickr8kReader.TRAIN_FILE, Flickr8kReader.DEV_FILE, Flickr8kReader.TEST_FILE}) {
            copy(original.resolve(f), kaggle.resolve(f));
        }
        Path karpathy = dir.resolve("karpathy");
        Fixtures.write(karpathy.resolve(Flickr8kReader.KARPATHY_FILE), Fixtures.smallKarpathyJson());

        CaptionDataset fromOriginal = Flickr8kReader.load(original);
        CaptionDataset fromKaggle = Flickr8kReader.load(kaggle);
        CaptionDataset fromKarpathy = Flickr8kReader.load(karpathy);
        assertThat(fromOriginal.layout()).isEqualTo(DatasetLayout.ORIGINAL);
        assertThat(fromKaggle.layout()).isEqualTo(DatasetLayout.KAGGLE);
        assertThat(fromKarpathy.layout()).isEqualTo(DatasetLayout.KARPATHY);
        assertThat(fromOriginal.images()).isEqualTo(expected.images());
        assertThat(fromKaggle.images()).isEqualTo(expected.images());
        assertThat(fromKarpathy.images()).isEqualTo(expected.images());
    }

    @Test
    void originalLayoutWinsOverKaggleAndKarpathy() {
        Fixtures.twoImages(dir);
        Fixtures.write(dir.resolve(Flickr8kReader.KAGGLE_FILE), Fixtures.smallKaggleCsv());
        Fixtures.write(dir.resolve(Flickr8kReader.KARPATHY_FILE), Fixtures.smallKarpathyJson());
        assertThat(Flickr8kReader.detectLayout(dir)).isEqualTo(DatasetLayout.ORIGINAL);
        assertThat(Flickr8kReader.load(dir).size()).isEqualTo(2);
    }

    @Test
    void kaggleWinsOverKarpathy() {
        Fixtures.write(dir.resolve(Flickr8kReader.KAGGLE_FILE), Fixtures.smallKaggleCsv());
        Fixtures.write(dir.resolve(Flickr8kReader.KARPATHY_FILE), "not even json");
        assertThat(Flickr8kReader.detectLayout(dir)).isEqualTo(DatasetLayout.KAGGLE);
    }

    @Test
    void forcedLayoutReadsThatFileEvenIfAnotherWouldBeDetected() {
        Fixtures.twoImages(dir);
        Fixtures.write(dir.resolve(Flickr8kReader.KARPATHY_FILE), Fixtures.smallKarpathyJson());
        CaptionDataset ds = Flickr8kReader.builder().optLayout(DatasetLayout.KARPATHY).build().read(dir);
        assertThat(ds.layout()).isEqualTo(DatasetLayout.KARPATHY);
        assertThat(ds.size()).isEqualTo(4);
    }

    @Test
    void forcedLayoutWhoseFileIsAbsentFails() {
        Fixtures.twoImages(dir);
        Flickr8kReader reader = Flickr8kReader.builder().optLayout(DatasetLayout.KAGGLE).build();
        assertThatThrownBy(() -> reader.read(dir)).isInstanceOf(CaptionerException.class)
                .hasMessageContaining(Flickr8kReader.KAGGLE_FILE).hasMessageContaining("does not exist");
    }

    @Test
    void directoryWithoutAnnotationsFailsListingTheFilesLookedFor() {
        Fixtures.write(dir.resolve("README.txt"), "nothing here");
        assertThatThrownBy(() -> Flickr8kReader.load(dir)).isInstanceOf(CaptionerException.class)
                .hasMessageContaining(Flickr8kReader.TOKEN_FILE)
                .hasMessageContaining(Flickr8kReader.KAGGLE_FILE)
                .hasMessageContaining(Flickr8kReader.KARPATHY_FILE);
    }

    @Test
    void missingDirectoryFails() {
        assertThatThrownBy(() -> Flickr8kReader.load(dir.resolve("nope")))
                .isInstanceOf(CaptionerException.class).hasMessageContaining("does not exist");
    }

    @Test
    void explicitCsvFileIsReadAsKaggle() {
        Fixtures.write(dir.resolve("my-captions.csv"), Fixtures.smallKaggleCsv());
        CaptionDataset ds = Flickr8kReader.builder().optCaptionFile(dir.resolve("my-captions.csv"))
                .build().read(null);
        assertThat(ds.layout()).isEqualTo(DatasetLayout.KAGGLE);
        assertThat(ds.size()).isEqualTo(4);
    }

    @Test
    void imageDirectoryPrefersTheOriginalZipSpelling() throws Exception {
        Files.createDirectories(dir.resolve("Images"));
        Files.createDirectories(dir.resolve("Flicker8k_Dataset"));
        assertThat(Flickr8kReader.resolveImageDir(dir)).isEqualTo(dir.resolve("Flicker8k_Dataset"));
    }

    @Test
    void imageDirectoryFallsBackThroughTheCandidatesToTheDatasetDirectory() throws Exception {
        assertThat(Flickr8kReader.resolveImageDir(dir)).isEqualTo(dir);
        Files.createDirectories(dir.resolve("images"));
        assertThat(Flickr8kReader.resolveImageDir(dir)).isEqualTo(dir.resolve("images"));
        Files.createDirectories(dir.resolve("Flickr8k_Dataset"));
        assertThat(Flickr8kReader.resolveImageDir(dir)).isEqualTo(dir.resolve("Flickr8k_Dataset"));
    }

    @Test
    void explicitImageDirectoryOverridesDetection() throws Exception {
        Fixtures.twoImages(dir);
        Files.createDirectories(dir.resolve("Images"));
        Path elsewhere = dir.resolve("elsewhere");
        CaptionDataset ds = Flickr8kReader.builder().optImageDir(elsewhere).build().read(dir);
        assertThat(ds.imagePath("a.jpg")).isEqualTo(elsewhere.resolve("a.jpg"));
        assertThat(ds.report().imageDir()).isEqualTo(elsewhere);
    }

    private static void copy(Path from, Path to) {
        try {
            Files.createDirectories(to.getParent());
            Files.copy(from, to);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
