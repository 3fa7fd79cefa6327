package io.captioner.models.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.captioner.CaptionerException;
import io.captioner.ImageEncoder;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The feature cache: round trip, resume after interruption, stale-key refusal. */
class FeatureCacheTest {

    @TempDir Path dir;

    static final CacheKey KEY = new CacheKey("fake", 3, "abc123", "Preprocessing[test]");
    static final List<String> IDS = IntStream.range(0, 10).mapToObj(i -> "img" + i + ".jpg").toList();

    /** Encodes an image to (width, height, red of pixel 0) and counts the images it saw. */
    static final class FakeEncoder implements ImageEncoder {
        final AtomicInteger encoded = new AtomicInteger();

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
            encoded.addAndGet(images.size());
            return images.stream().map(im -> new float[] {im.getWidth(), im.getHeight(), (im.getRGB(0, 0) >> 16) & 0xFF})
                    .toArray(float[][]::new);
        }

        @Override
        public void close() {}
    }

    static BufferedImage imageOf(String id) {
        int i = Integer.parseInt(id.replaceAll("\\D", ""));
        BufferedImage im = new BufferedImage(10 + i, 20 + i, BufferedImage.TYPE_INT_RGB);
        im.setRGB(0, 0, (i * 20) << 16);
        return im;
    }

    @Test
    void builtCacheReturnsEachImagesVectorByRowAndId() {
        try (FeatureCache cache = FeatureCache.build(dir, KEY, IDS, FeatureCacheTest::imageOf, new FakeEncoder(), 4,
                Progress.none())) {
            assertThat(cache.size()).isEqualTo(10);
            assertThat(cache.get(7)).containsExactly(17f, 27f, 140f);
            assertThat(cache.get("img3.jpg")).containsExactly(13f, 23f, 60f);
        }
        assertThat(dir.resolve(FeatureCache.DATA)).hasSize(10 * 3 * 4);
    }

    @Test
    void interruptedBuildResumesWithoutEncodingFinishedRowsAgain() {
        AtomicInteger loads = new AtomicInteger();
        Function<String, BufferedImage> failing = id -> {
            if (loads.incrementAndGet() > 5) {
                throw new CaptionerException(id + ": simulated crash");
            }
            return imageOf(id);
        };
        FakeEncoder first = new FakeEncoder();
        assertThatThrownBy(() -> FeatureCache.build(dir, KEY, IDS, failing, first, 2, Progress.none()))
                .hasMessageContaining("simulated crash");
        assertThat(first.encoded.get()).isEqualTo(4);

        FakeEncoder second = new FakeEncoder();
        try (FeatureCache cache = FeatureCache.build(dir, KEY, IDS, FeatureCacheTest::imageOf, second, 2,
                Progress.none())) {
            assertThat(second.encoded.get()).isEqualTo(6);
            for (int i = 0; i < 10; i++) {
                assertThat(cache.get(i)).containsExactly(10f + i, 20f + i, (i * 20) & 0xFF);
            }
        }
    }

    @Test
    void cacheBuiltWithOtherWeightsIsRefusedAsStale() {
        FeatureCache.build(dir, KEY, IDS, FeatureCacheTest::imageOf, new FakeEncoder(), 4, Progress.none()).close();
        CacheKey other = new CacheKey("fake", 3, "def456", KEY.preprocessing());
        assertThatThrownBy(() -> FeatureCache.open(dir, other, IDS))
                .isInstanceOf(StaleFeatureCacheException.class)
                .hasMessageContaining("stale feature cache: it was built with weights_sha256=abc123, but def456");
        assertThatThrownBy(() -> FeatureCache.build(dir, other, IDS, FeatureCacheTest::imageOf, new FakeEncoder(), 4,
                Progress.none()))
                .isInstanceOfSatisfying(StaleFeatureCacheException.class,
                        e -> assertThat(e.directory()).isEqualTo(dir))
                .hasMessageContaining("stale");
    }

    @Test
    void cacheOfOtherPreprocessingOrImagesIsRefusedAsStale() {
        FeatureCache.build(dir, KEY, IDS, FeatureCacheTest::imageOf, new FakeEncoder(), 4, Progress.none()).close();
        assertThatThrownBy(() -> FeatureCache.open(dir, new CacheKey("fake", 3, "abc123", "Preprocessing[other]"), IDS))
                .hasMessageContaining("preprocessing=Preprocessing[test], but Preprocessing[other]");
        List<String> reordered = new ArrayList<>(IDS);
        java.util.Collections.swap(reordered, 0, 1);
        assertThatThrownBy(() -> FeatureCache.open(dir, KEY, reordered))
                .isInstanceOf(StaleFeatureCacheException.class)
                .hasMessageContaining("different list or order");
    }

    @Test
    void incompleteCacheCannotBeOpened() {
        Function<String, BufferedImage> failing = id -> {
            if (id.equals("img4.jpg")) {
                throw new CaptionerException("stop");
            }
            return imageOf(id);
        };
        assertThatThrownBy(() -> FeatureCache.build(dir, KEY, IDS, failing, new FakeEncoder(), 2, Progress.none()));
        assertThatThrownBy(() -> FeatureCache.open(dir, KEY, IDS))
                .isInstanceOf(CaptionerException.class)
                .hasMessageContaining("incomplete: 4 of 10 rows done");
    }
}
