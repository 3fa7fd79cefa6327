package io.captioner.models.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.captioner.ImageEncoder;
import io.captioner.testing.FuzzContract;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzz target 8 of issue 18: any bytes as the files of a feature cache directory. Input: split at
 * the first two NUL bytes into {@code index.txt}, {@code progress.txt} and {@code features.f32}
 * (an absent piece is an absent file).
 *
 * <p>The cache is opened for a fixed key and three image ids, then built (resumed) with a fake
 * encoder, as a training run does with a cache left by an earlier run. Only
 * {@code CaptionerException} (its subclass {@code StaleFeatureCacheException} included) may escape;
 * a cache that opens returns every row; a resumed build leaves a complete cache whose rows from
 * the resume point on are the encoder's. Seeds (complete, half-built, stale) and regression inputs:
 * {@code FeatureCacheFuzzTestInputs/anyCacheFiles/}.
 */
class FeatureCacheFuzzTest {

    private static final CacheKey KEY = new CacheKey("fake", 3, "0123abcd", "Preprocessing[fuzz]");
    private static final List<String> IDS = List.of("a.jpg", "b.jpg", "c.jpg");

    private static Path scratch;

    /** Encodes every image to (1, 2, 3). */
    private static final class ConstantEncoder implements ImageEncoder {
        @Override
        public String name() {
            return "fake";
        }

        @Override
        public int featureSize() {
            return 3;
        }

        @Override
        public float[][] encode(List<BufferedImage> images) {
            return images.stream().map(im -> new float[] {1, 2, 3}).toArray(float[][]::new);
        }

        @Override
        public void close() {}
    }

    @BeforeAll
    static void createScratch() throws Exception {
        scratch = Files.createTempDirectory("fuzz-feature-cache-");
    }

    @AfterAll
    static void deleteScratch() throws Exception {
        FuzzContract.clear(scratch);
        Files.delete(scratch);
    }

    @FuzzTest(maxDuration = "30s")
    void anyCacheFiles(byte[] data) throws Exception {
        FuzzContract.clear(scratch);
        byte[][] files = FuzzContract.splitAtNul(data, 3);
        String[] names = {FeatureCache.INDEX, FeatureCache.PROGRESS, FeatureCache.DATA};
        for (int i = 0; i < files.length; i++) {
            Files.write(scratch.resolve(names[i]), files[i]);
        }
        FuzzContract.accepts(() -> {
            try (FeatureCache cache = FeatureCache.open(scratch, KEY, IDS)) {
                for (String id : IDS) {
                    assertThat(cache.get(id)).hasSize(3);
                }
            }
        });
        int[] resumedAt = {-1};
        FuzzContract.accepts(() -> {
            BufferedImage pixel = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
            try (FeatureCache cache = FeatureCache.build(scratch, KEY, IDS, id -> pixel, new ConstantEncoder(), 2,
                    (done, total, rate) -> {
                        if (resumedAt[0] < 0) {
                            resumedAt[0] = done;
                        }
                    })) {
                for (int row = Math.max(0, resumedAt[0]); row < IDS.size(); row++) {
                    assertThat(cache.get(row)).containsExactly(1f, 2f, 3f);
                }
            }
        });
    }
}
