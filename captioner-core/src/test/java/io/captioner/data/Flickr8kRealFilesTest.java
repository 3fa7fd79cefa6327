package io.captioner.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Facts of the real Flickr8k annotation files, found through the system property
 * {@code captioner.flickr8k.dir}; skipped with a reason when the files are absent.
 */
class Flickr8kRealFilesTest {

    private static final String TYPO = "2258277193_586949ec62.jpg.1";
    private static final String TYPO_BASE = "2258277193_586949ec62.jpg";

    private static Path dir;
    private static CaptionDataset dataset;

    @BeforeAll
    static void readOnce() {
        String property = System.getProperty("captioner.flickr8k.dir");
        boolean present = property != null
                && Files.isRegularFile(Path.of(property, Flickr8kReader.TOKEN_FILE));
        if (!present) {
            System.out.println("Flickr8kRealFilesTest skipped: no " + Flickr8kReader.TOKEN_FILE
                    + " under captioner.flickr8k.dir=" + property);
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(present,
                "real Flickr8k annotations not found under captioner.flickr8k.dir=" + property);
        dir = Path.of(property);
        dataset = Flickr8kReader.load(dir);
    }

    @Test
    void tokenFileHas40460CaptionLinesAndAllAreRead() throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve(Flickr8kReader.TOKEN_FILE));
        assertThat(lines).hasSize(40_460);
        assertThat(dataset.captionCount()).isEqualTo(40_460);
    }

    @Test
    void detectsOriginalLayoutAndIgnoresTheLemmaFile() {
        assertThat(dir.resolve("Flickr8k.lemma.token.txt")).exists();
        assertThat(dataset.layout()).isEqualTo(DatasetLayout.ORIGINAL);
        assertThat(dataset.report().sourceFiles()).extracting(p -> p.getFileName().toString())
                .doesNotContain("Flickr8k.lemma.token.txt");
    }

    @Test
    void splitFilesName6000And1000And1000DisjointImagesAllInTheTokenFile() throws IOException {
        Set<String> train = names(Flickr8kReader.TRAIN_FILE);
        Set<String> dev = names(Flickr8kReader.DEV_FILE);
        Set<String> test = names(Flickr8kReader.TEST_FILE);
        assertThat(train).hasSize(6000);
        assertThat(dev).hasSize(1000);
        assertThat(test).hasSize(1000);
        Set<String> union = new HashSet<>(train);
        union.addAll(dev);
        union.addAll(test);
        assertThat(union).hasSize(8000);
        assertThat(union).allMatch(dataset::contains);
        assertThat(dataset.split(Split.TRAIN)).extracting(ImageCaptions::imageId)
                .containsExactlyInAnyOrderElementsOf(train);
        assertThat(dataset.split(Split.DEV)).extracting(ImageCaptions::imageId)
                .containsExactlyInAnyOrderElementsOf(dev);
        assertThat(dataset.split(Split.TEST)).extracting(ImageCaptions::imageId)
                .containsExactlyInAnyOrderElementsOf(test);
    }

    @Test
    void typoIdIsMergedAsCaptionZeroOfItsBaseImage() {
        assertThat(dataset.report().repairedIds()).containsExactly(java.util.Map.entry(TYPO, TYPO_BASE));
        assertThat(dataset.contains(TYPO)).isFalse();
        ImageCaptions base = dataset.get(TYPO_BASE);
        assertThat(base.captions()).hasSize(5);
        assertThat(base.captions().get(0)).isEqualTo("people waiting for the subway");
        assertThat(base.captions().get(1)).isEqualTo("Some people looking out windows in a large building .");
        assertThat(dataset.report().warnings()).anyMatch(w -> w.contains(TYPO) && w.contains("repaired"));
    }

    @Test
    void typoBaseImageIsInNoSplit() {
        assertThat(dataset.get(TYPO_BASE).split()).isEqualTo(Split.NONE);
        assertThat(dataset.report().imagesInNoSplit()).contains(TYPO_BASE);
    }

    @Test
    void has8092ImagesOfFiveCaptionsAnd92InNoSplit() {
        assertThat(dataset.size()).isEqualTo(8092);
        assertThat(dataset.images()).allMatch(i -> i.captions().size() == 5);
        assertThat(dataset.split(Split.NONE)).hasSize(92);
        assertThat(dataset.report().imagesInNoSplit()).hasSize(92);
        assertThat(dataset.splitSizes()).containsEntry(Split.TRAIN, 6000).containsEntry(Split.DEV, 1000)
                .containsEntry(Split.TEST, 1000).containsEntry(Split.NONE, 92);
    }

    @Test
    void readingAnnotationsNeedsNoImagesButVerifyingReportsThemMissing() {
        assertThat(dataset.imagePath("1000268201_693b08cb0e.jpg"))
                .isEqualTo(Flickr8kReader.resolveImageDir(dir).resolve("1000268201_693b08cb0e.jpg"));
        org.assertj.core.api.Assertions.assertThatThrownBy(dataset::verifyImages)
                .isInstanceOf(io.captioner.CaptionerException.class)
                .hasMessageContaining("8092 of 8092 images are missing");
    }

    @Test
    void statisticsCoverEveryCaptionAndPrintTheirLengths() {
        DatasetStats stats = DatasetStats.of(dataset);
        System.out.println("Flickr8k caption statistics (Tokenizer.standard()):\n" + stats.toTable());
        assertThat(stats.total().captions()).isEqualTo(40_460);
        assertThat(stats.splits().get(Split.TRAIN).captions()).isEqualTo(30_000);
        assertThat(stats.splits().get(Split.NONE).images()).isEqualTo(92);
        assertThat(stats.total().p50Tokens()).isBetween(5, 20);
        assertThat(stats.total().p95Tokens()).isBetween(stats.total().p50Tokens(), stats.total().maxTokens());
    }

    private static Set<String> names(String file) throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve(file));
        Set<String> names = new HashSet<>(lines);
        assertThat(names).as("%s has no repeated name", file).hasSize(lines.size());
        return names;
    }
}
