package io.captioner.data.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.captioner.CaptionerException;
import io.captioner.data.CaptionDataset;
import io.captioner.data.Flickr8kReader;
import io.captioner.data.Split;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Proves that {@link SyntheticDataset#generate(Path)} writes the Flickr8k original layout. */
class SyntheticDatasetFilesTest {

    private static final Pattern TOKEN_LINE = Pattern.compile("^([^#\\t]+)#([0-4])\\t(.+)$");
    private static final SyntheticDataset DATASET = SyntheticDataset.builder()
            .optImages(150).optImageSize(64).optSeed(99).optSplitFractions(0.2, 0.2).build();

    @TempDir
    static Path shared;
    private static Path root;
    private static GenerationSummary summary;

    @BeforeAll
    static void generate() {
        root = shared.resolve("synthetic");
        summary = DATASET.generate(root);
    }

    private static List<String> lines(String file) throws IOException {
        return Files.readAllLines(root.resolve(file), StandardCharsets.UTF_8);
    }

    @Test
    void summaryReportsSplitCountsAndHeldOutPairs() {
        assertThat(summary.directory()).isEqualTo(root.toAbsolutePath().normalize());
        assertThat(summary.trainImages()).isEqualTo(90);
        assertThat(summary.devImages()).isEqualTo(30);
        assertThat(summary.testImages()).isEqualTo(30);
        assertThat(summary.captions()).isEqualTo(750);
        assertThat(summary.heldOutPairs()).isEqualTo(DATASET.heldOutPairs());
        assertThat(summary.reused()).isFalse();
        assertThat(summary.seconds()).isPositive();
    }

    @Test
    void tokenFileHasFiveNumberedCaptionsPerImageInFlickr8kFormat() throws IOException {
        List<String> lines = lines(SyntheticDataset.TOKEN_FILE);
        assertThat(lines).hasSize(DATASET.images() * 5);
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = TOKEN_LINE.matcher(lines.get(i));
            assertThat(m.matches()).as("line %d: %s", i + 1, lines.get(i)).isTrue();
            assertThat(m.group(1)).isEqualTo(DATASET.imageName(i / 5));
            assertThat(Integer.parseInt(m.group(2))).isEqualTo(i % 5);
            assertThat(m.group(3)).isEqualTo(DATASET.sample(i / 5).captions().get(i % 5));
        }
    }

    @Test
    void splitFilesListEveryImageExactlyOnceInItsSplit() throws IOException {
        List<String> all = new ArrayList<>();
        java.util.Map<Split, String> files = java.util.Map.of(Split.TRAIN, "Flickr_8k.trainImages.txt",
                Split.DEV, "Flickr_8k.devImages.txt", Split.TEST, "Flickr_8k.testImages.txt");
        for (Split split : files.keySet()) {
            List<String> names = lines(files.get(split));
            for (String name : names) {
                int index = Integer.parseInt(name.substring("synth_".length(), name.length() - 4));
                assertThat(DATASET.split(index)).as(name).isEqualTo(split);
            }
            all.addAll(names);
        }
        assertThat(all).doesNotHaveDuplicates().hasSize(DATASET.images());
    }

    @Test
    void imagesArePngFilesThatDecodeToTheInMemorySample() throws IOException {
        try (Stream<Path> files = Files.list(root.resolve(SyntheticDataset.IMAGES_DIR))) {
            assertThat(files.count()).isEqualTo(DATASET.images());
        }
        for (int i : new int[] {0, 77, 149}) {
            Path file = root.resolve(SyntheticDataset.IMAGES_DIR).resolve(DATASET.imageName(i));
            byte[] magic = java.util.Arrays.copyOf(Files.readAllBytes(file), 4);
            assertThat(magic).containsExactly(0x89, 'P', 'N', 'G');
            BufferedImage decoded = ImageIO.read(file.toFile());
            BufferedImage expected = DATASET.sample(i).image();
            assertThat(decoded.getWidth()).isEqualTo(64);
            assertThat(decoded.getRGB(0, 0, 64, 64, null, 0, 64))
                    .isEqualTo(expected.getRGB(0, 0, 64, 64, null, 0, 64));
        }
    }

    @Test
    void flickr8kReaderLoadsTheDirectoryWithEveryImagePresent() {
        CaptionDataset read = Flickr8kReader.builder().optVerifyImages(true).build().read(root);
        assertThat(read.splitSizes()).containsEntry(Split.TRAIN, 90).containsEntry(Split.DEV, 30)
                .containsEntry(Split.TEST, 30);
        assertThat(read.imageDir()).isEqualTo(root.resolve(SyntheticDataset.IMAGES_DIR));
        assertThat(read.images()).isEqualTo(DATASET.toCaptionDataset(root).images());
        assertThat(read.get("synth_000042.png").captions()).isEqualTo(DATASET.sample(42).captions());
    }

    @Test
    void imageDirectoryIsTheFirstOneTheReaderLooksFor() {
        assertThat(Flickr8kReader.IMAGE_DIR_CANDIDATES.get(0)).isEqualTo(SyntheticDataset.IMAGES_DIR);
    }

    @Test
    void onlyTheFinishedDirectoryIsLeftBehind() throws IOException {
        try (Stream<Path> siblings = Files.list(root.getParent())) {
            assertThat(siblings.map(p -> p.getFileName().toString()).collect(Collectors.toList()))
                    .containsExactly("synthetic");
        }
        assertThat(lines(SyntheticDataset.MANIFEST_FILE)).contains("seed=99", "images=150");
    }

    @Test
    void generatingAgainReusesTheSameDatasetWithoutWriting() throws IOException {
        Path token = root.resolve(SyntheticDataset.TOKEN_FILE);
        var before = Files.getLastModifiedTime(token);
        GenerationSummary again = DATASET.generate(root);
        assertThat(again.reused()).isTrue();
        assertThat(again.images()).isEqualTo(150);
        assertThat(Files.getLastModifiedTime(token)).isEqualTo(before);
    }

    @Test
    void refusesADirectoryHoldingAnotherDataset() {
        SyntheticDataset other = DATASET.toBuilder().optSeed(100).build();
        assertThatThrownBy(() -> other.generate(root))
                .isInstanceOf(CaptionerException.class)
                .hasMessageContaining(root.toAbsolutePath().toString())
                .hasMessageContaining("found other content");
    }

    @Test
    void refusesANonEmptyDirectoryAndLeavesItUntouched(@TempDir Path tmp) throws IOException {
        Path mine = Files.writeString(tmp.resolve("notes.txt"), "keep me");
        assertThatThrownBy(() -> DATASET.generate(tmp)).isInstanceOf(CaptionerException.class);
        try (Stream<Path> files = Files.list(tmp)) {
            assertThat(files.collect(Collectors.toList())).containsExactly(mine);
        }
        assertThat(Files.readString(mine)).isEqualTo("keep me");
    }

    @Test
    void writesIntoAnExistingEmptyDirectory(@TempDir Path tmp) throws IOException {
        Path target = Files.createDirectory(tmp.resolve("empty"));
        DATASET.toBuilder().optImages(5).build().generate(target);
        assertThat(target.resolve(SyntheticDataset.TOKEN_FILE)).isRegularFile();
        assertThat(target.resolve(SyntheticDataset.IMAGES_DIR).resolve("synth_000004.png")).isRegularFile();
    }

    @Test
    void refusesAFileSystemRoot() {
        Path fsRoot = root.getRoot();
        assertThatThrownBy(() -> DATASET.generate(fsRoot))
                .isInstanceOf(CaptionerException.class)
                .hasMessageContaining("file-system root");
    }

    @Test
    void failureLeavesNeitherTargetNorPartialDirectory(@TempDir Path tmp) throws IOException {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        Path target = file.resolve("dataset");
        assertThatThrownBy(() -> DATASET.generate(target))
                .isInstanceOf(CaptionerException.class)
                .hasMessageContaining(target.toString());
        try (Stream<Path> files = Files.list(tmp)) {
            assertThat(files.collect(Collectors.toList())).containsExactly(file);
        }
    }
}
