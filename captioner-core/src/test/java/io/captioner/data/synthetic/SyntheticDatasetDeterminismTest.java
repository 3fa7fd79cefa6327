package io.captioner.data.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Proves that the seed alone decides every pixel and every caption. */
class SyntheticDatasetDeterminismTest {

    private static final SyntheticDataset DATASET =
            SyntheticDataset.builder().optImages(120).optImageSize(80).optSeed(2024).build();

    private static int[] pixels(BufferedImage image) {
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }

    private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    @Test
    void sameSeedAndIndexGiveTheSameSample() {
        SyntheticDataset copy = DATASET.toBuilder().build();
        for (int i : new int[] {0, 1, 57, 119}) {
            SyntheticSample a = DATASET.sample(i);
            SyntheticSample b = copy.sample(i);
            assertThat(b.scene()).isEqualTo(a.scene());
            assertThat(b.captions()).isEqualTo(a.captions());
            assertThat(pixels(b.image())).isEqualTo(pixels(a.image()));
        }
    }

    @Test
    void sampleDoesNotDependOnWhichSamplesWereDrawnBefore() {
        List<List<String>> forward = IntStream.range(0, 40).mapToObj(i -> DATASET.sample(i).captions())
                .collect(Collectors.toList());
        for (int i = 39; i >= 0; i--) {
            assertThat(DATASET.sample(i).captions()).isEqualTo(forward.get(i));
        }
    }

    @Test
    void sceneWithoutRenderingEqualsTheSamplesScene() {
        for (int i = 0; i < DATASET.images(); i++) {
            assertThat(DATASET.scene(i)).isEqualTo(DATASET.sample(i).scene());
        }
    }

    @Test
    void captionsWithoutRenderingEqualTheSamplesCaptions() {
        for (int i = 0; i < DATASET.images(); i++) {
            assertThat(DATASET.captions(i)).isEqualTo(DATASET.sample(i).captions());
        }
    }

    @Test
    void differentSeedsGiveDifferentScenesAndCaptions() {
        SyntheticDataset other = DATASET.toBuilder().optSeed(2025).build();
        long sameScenes = IntStream.range(0, DATASET.images())
                .filter(i -> DATASET.scene(i).equals(other.scene(i))).count();
        long sameCaptions = IntStream.range(0, DATASET.images())
                .filter(i -> DATASET.sample(i).captions().equals(other.sample(i).captions())).count();
        assertThat(sameScenes).isZero();
        assertThat(sameCaptions).isLessThan(5);
    }

    @Test
    void generatingTwiceWritesByteIdenticalFiles(@TempDir Path tmp) throws Exception {
        DATASET.generate(tmp.resolve("a"));
        DATASET.generate(tmp.resolve("b"));
        List<Path> files;
        try (Stream<Path> walk = Files.walk(tmp.resolve("a"))) {
            files = walk.filter(Files::isRegularFile).map(tmp.resolve("a")::relativize).sorted()
                    .collect(Collectors.toList());
        }
        assertThat(files).hasSize(DATASET.images() + 5);
        for (Path f : files) {
            assertThat(sha256(tmp.resolve("b").resolve(f))).as(f.toString())
                    .isEqualTo(sha256(tmp.resolve("a").resolve(f)));
        }
    }

    @Test
    void generatingWithAnotherSeedWritesDifferentCaptionsAndImages(@TempDir Path tmp) throws Exception {
        DATASET.generate(tmp.resolve("a"));
        DATASET.toBuilder().optSeed(1).build().generate(tmp.resolve("b"));
        assertThat(sha256(tmp.resolve("b/Flickr8k.token.txt")))
                .isNotEqualTo(sha256(tmp.resolve("a/Flickr8k.token.txt")));
        Path image = Path.of(SyntheticDataset.IMAGES_DIR, "synth_000000.png");
        assertThat(sha256(tmp.resolve("b").resolve(image))).isNotEqualTo(sha256(tmp.resolve("a").resolve(image)));
    }
}
