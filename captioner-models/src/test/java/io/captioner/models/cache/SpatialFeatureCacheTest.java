package io.captioner.models.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.captioner.CaptionerException;
import io.captioner.ImageEncoder;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The feature cache with spatial maps and float16 storage: precision, reuse, refusal of other
 * settings, reading across mapping segments and in the engine.
 */
class SpatialFeatureCacheTest {

    @TempDir Path dir;

    static final int[] MAP = {2, 3, 4};
    static final int ROW = 2 * 3 * 4;
    static final List<String> IDS = IntStream.range(0, 9).mapToObj(i -> "img" + i + ".jpg").toList();

    static CacheKey key(FeatureDType dtype) {
        return new CacheKey("fake", MAP, dtype, 0, "abc123", "Preprocessing[test]");
    }

    /** Gives each image a seeded map of values over several orders of magnitude; counts images. */
    static final class MapEncoder implements ImageEncoder {
        final AtomicInteger encoded = new AtomicInteger();
        final int[] shape;
        final float scale;

        MapEncoder(int[] shape, float scale) {
            this.shape = shape;
            this.scale = scale;
        }

        MapEncoder() {
            this(MAP, 1f);
        }

        @Override
        public String name() {
            return "fake";
        }

        @Override
        public int featureSize() {
            return IntStream.of(shape).reduce(1, (a, b) -> a * b);
        }

        @Override
        public int[] featureShape() {
            return shape.clone();
        }

        @Override
        public float[][] encode(List<BufferedImage> images) {
            encoded.addAndGet(images.size());
            return images.stream().map(im -> row(im.getWidth(), featureSize(), scale)).toArray(float[][]::new);
        }

        @Override
        public void close() {}
    }

    /** The row of image i: signed values from 1e-6 to 1e3, seeded by i. */
    static float[] row(int i, int length, float scale) {
        Random random = new Random(i);
        float[] r = new float[length];
        for (int j = 0; j < length; j++) {
            r[j] = scale * (float) ((random.nextBoolean() ? 1 : -1) * Math.pow(10, -6 + 9 * random.nextDouble()));
        }
        return r;
    }

    static BufferedImage imageOf(String id) {
        return new BufferedImage(Integer.parseInt(id.replaceAll("\\D", "")) + 1, 1, BufferedImage.TYPE_INT_RGB);
    }

    static FeatureCache build(Path dir, CacheKey key, ImageEncoder encoder) {
        return FeatureCache.build(dir, key, IDS, SpatialFeatureCacheTest::imageOf, encoder, 4, Progress.none());
    }

    /** float16 keeps 11 significant bits: relative error 2^-11, absolute 2^-25 near zero. */
    static void assertWithinFloat16(float[] actual, float[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int j = 0; j < expected.length; j++) {
            double tolerance = Math.max(Math.abs(expected[j]) * 0x1p-11, 0x1p-25);
            assertThat((double) actual[j]).as("value %d", j).isCloseTo(expected[j],
                    org.assertj.core.data.Offset.offset(tolerance));
        }
    }

    @Test
    void float16CacheReturnsEveryRowWithinHalfPrecisionOfTheEncodersRow() {
        try (FeatureCache cache = build(dir, key(FeatureDType.FLOAT16), new MapEncoder())) {
            for (int i = 0; i < IDS.size(); i++) {
                assertWithinFloat16(cache.get(i), row(i + 1, ROW, 1f));
            }
        }
    }

    @Test
    void float16CacheTakesTwoBytesPerValue() {
        build(dir, key(FeatureDType.FLOAT16), new MapEncoder()).close();

        assertThat(dir.resolve(FeatureCache.DATA_FLOAT16)).hasSize((long) IDS.size() * ROW * 2);
        assertThat(dir.resolve(FeatureCache.DATA)).doesNotExist();
    }

    @Test
    void float32SpatialCacheReturnsTheEncodersRowsExactly() {
        try (FeatureCache cache = build(dir, key(FeatureDType.FLOAT32), new MapEncoder())) {
            assertThat(cache.featureShape()).containsExactly(MAP);
            for (int i = 0; i < IDS.size(); i++) {
                assertThat(cache.get(i)).containsExactly(row(i + 1, ROW, 1f));
            }
        }
    }

    @Test
    void valueBeyondFloat16RangeIsRefusedNamingTheImageAndTheValue() {
        assertThatThrownBy(() -> build(dir, key(FeatureDType.FLOAT16), new MapEncoder(MAP, 1e3f)))
                .isInstanceOf(CaptionerException.class)
                .hasMessageContaining("of image img")
                .hasMessageContaining("beyond float16's range")
                .hasMessageContaining("store this cache as float32");
    }

    @Test
    void spatialCacheIsReusedWithoutEncodingAgain() {
        build(dir, key(FeatureDType.FLOAT16), new MapEncoder()).close();
        MapEncoder second = new MapEncoder();

        try (FeatureCache cache = build(dir, key(FeatureDType.FLOAT16), second)) {
            assertThat(second.encoded.get()).isZero();
            assertWithinFloat16(cache.get(8), row(9, ROW, 1f));
        }
    }

    @Test
    void cacheStoredAsAnotherDtypeIsRefusedAsStale() {
        build(dir, key(FeatureDType.FLOAT32), new MapEncoder()).close();

        assertThatThrownBy(() -> build(dir, key(FeatureDType.FLOAT16), new MapEncoder()))
                .isInstanceOf(StaleFeatureCacheException.class)
                .hasMessageContaining("it was built with dtype=float32, but float16 is requested");
    }

    @Test
    void cacheOfAnotherMapShapeIsRefusedAsStale() {
        build(dir, key(FeatureDType.FLOAT32), new MapEncoder()).close();
        CacheKey other = new CacheKey("fake", new int[] {4, 4, 4}, FeatureDType.FLOAT32, 0, "abc123",
                "Preprocessing[test]");

        assertThatThrownBy(() -> FeatureCache.open(dir, other, IDS))
                .isInstanceOf(StaleFeatureCacheException.class)
                .hasMessageContaining("it was built with feature_shape=2x3x4, but 4x4x4 is requested");
    }

    @Test
    void cacheOfTheNetworksOwnMapIsRefusedForAPooledMapOfTheSameShape() {
        int[] square = {2, 2, 4};
        FeatureCache.build(dir, new CacheKey("fake", square, FeatureDType.FLOAT32, 0, "abc123", "Preprocessing[test]"),
                IDS, SpatialFeatureCacheTest::imageOf, new MapEncoder(square, 1f), 4, Progress.none()).close();
        CacheKey pooled = new CacheKey("fake", square, FeatureDType.FLOAT32, 2, "abc123", "Preprocessing[test]");

        assertThatThrownBy(() -> FeatureCache.open(dir, pooled, IDS))
                .isInstanceOf(StaleFeatureCacheException.class)
                .hasMessageContaining("it was built with spatial=native, but pooled-2 is requested");
    }

    @Test
    void encoderOfAnotherShapeThanTheKeyIsRefusedNamingBothShapes() {
        assertThatThrownBy(() -> build(dir, key(FeatureDType.FLOAT32), new MapEncoder(new int[] {3, 3, 4}, 1f)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("encoder fake gives rows of shape [3, 3, 4] but the cache key says [2, 3, 4]");
    }

    @Test
    void firstVersionCacheIsReadAsFloat32VectorsAndRefusedForFloat16() throws Exception {
        CacheKey vectors = new CacheKey("fake", 3, "abc123", "Preprocessing[test]");
        FeatureCache.build(dir, vectors, IDS, SpatialFeatureCacheTest::imageOf, new MapEncoder(new int[] {3}, 1f),
                4, Progress.none()).close();
        StringBuilder v1 = new StringBuilder("# captioner feature cache v1\nencoder=fake\nfeature_size=3\n"
                + "weights_sha256=abc123\npreprocessing=Preprocessing[test]\ncount=" + IDS.size() + "\n");
        IDS.forEach(id -> v1.append(id).append('\n'));
        Files.writeString(dir.resolve(FeatureCache.INDEX), v1, StandardCharsets.UTF_8);

        try (FeatureCache cache = FeatureCache.open(dir, vectors, IDS)) {
            assertThat(cache.get(2)).containsExactly(row(3, 3, 1f));
        }
        assertThatThrownBy(() -> FeatureCache.open(dir, new CacheKey("fake", new int[] {3}, FeatureDType.FLOAT16, 0,
                "abc123", "Preprocessing[test]"), IDS))
                .isInstanceOf(StaleFeatureCacheException.class)
                .hasMessageContaining("dtype=float32, but float16");
    }

    @Test
    void rowsAreReadAcrossMappingSegments() {
        build(dir, key(FeatureDType.FLOAT16), new MapEncoder()).close();

        // two rows per segment: the nine rows span five mappings
        try (FeatureCache cache = FeatureCache.open(dir, key(FeatureDType.FLOAT16), IDS, 2L * ROW * 2 + 1);
                FeatureCache whole = FeatureCache.open(dir, key(FeatureDType.FLOAT16), IDS)) {
            for (int i = 0; i < IDS.size(); i++) {
                assertThat(cache.get(i)).as("row %d", i).containsExactly(whole.get(i));
            }
        }
    }

    @Test
    void engineBatchesEqualTheRowsAndOutliveTheNextBatch() {
        try (FeatureCache cache = build(dir, key(FeatureDType.FLOAT16), new MapEncoder());
                NDManager manager = NDManager.newBaseManager()) {
            NDArray first = cache.rows(manager, new int[] {7, 0, 7});
            NDArray second = cache.rows(manager, new int[] {1, 2, 3, 4, 5});

            assertThat(first.getShape().getShape()).containsExactly(3, 2, 3, 4);
            assertThat(first.getDataType()).isEqualTo(ai.djl.ndarray.types.DataType.FLOAT32);
            float[] a = first.toFloatArray();
            assertThat(java.util.Arrays.copyOfRange(a, 0, ROW)).containsExactly(cache.get(7));
            assertThat(java.util.Arrays.copyOfRange(a, ROW, 2 * ROW)).containsExactly(cache.get(0));
            assertThat(java.util.Arrays.copyOfRange(a, 2 * ROW, 3 * ROW)).containsExactly(cache.get(7));
            assertThat(java.util.Arrays.copyOfRange(second.toFloatArray(), 4 * ROW, 5 * ROW))
                    .containsExactly(cache.get(5));
            assertThat(manager.getManagedArrays()).hasSize(2);
        }
    }

    @Test
    void float32EngineBatchesAreCopiesNotViewsOfTheReusedBuffer() {
        try (FeatureCache cache = build(dir, key(FeatureDType.FLOAT32), new MapEncoder());
                NDManager manager = NDManager.newBaseManager()) {
            NDArray first = cache.rows(manager, new int[] {3});
            cache.rows(manager, new int[] {6});

            assertThat(first.toFloatArray()).containsExactly(row(4, ROW, 1f));
        }
    }

    @Test
    void closedCacheRefusesReads() {
        FeatureCache cache = build(dir, key(FeatureDType.FLOAT16), new MapEncoder());
        cache.close();
        cache.close();

        assertThatThrownBy(() -> cache.get(0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("feature cache is closed");
    }
}
