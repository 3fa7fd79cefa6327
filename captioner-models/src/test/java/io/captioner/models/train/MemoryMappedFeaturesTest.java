package io.captioner.models.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.captioner.data.Split;
import io.captioner.data.synthetic.SyntheticDataset;
import io.captioner.models.artifact.EncoderSpec;
import io.captioner.models.cache.CacheKey;
import io.captioner.models.cache.FeatureCache;
import io.captioner.models.cache.FeatureDType;
import io.captioner.models.cache.Progress;
import io.captioner.models.encoder.BlockEncoder;
import io.captioner.models.encoder.EncoderOptions;
import io.captioner.models.encoder.Encoders;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Features served from a memory-mapped cache equal the encoder's own rows, batch by batch. */
class MemoryMappedFeaturesTest {

    private static final int IMAGES = 10;
    private static final int BATCH = 4;

    @TempDir Path dir;

    private BlockEncoder spatial;
    private List<BufferedImage> images;
    private List<String> ids;

    @BeforeEach
    void encoder() {
        spatial = Encoders.smallCnn().optInputSize(32).optFeatureSize(16).optBaseChannels(4)
                .optEncoderOptions(EncoderOptions.defaults().withBatchSize(BATCH).withSpatialOutput()).build();
        SyntheticDataset data = SyntheticDataset.builder().optImages(IMAGES).optImageSize(64).optSeed(5).build();
        images = IntStream.range(0, IMAGES).mapToObj(i -> data.sample(i).image()).toList();
        ids = IntStream.range(0, IMAGES).mapToObj(i -> "img" + i + ".png").toList();
    }

    @AfterEach
    void close() {
        spatial.close();
    }

    private FeatureCache cache(BlockEncoder encoder, FeatureDType dtype, String name) {
        return FeatureCache.build(dir.resolve(name), CacheKey.of(encoder, "random", dtype), ids,
                id -> images.get(ids.indexOf(id)), encoder, BATCH, Progress.none());
    }

    /** The encoder's rows, computed in the same batches as the cache was. */
    private float[][] encoderRows() {
        List<float[]> rows = new ArrayList<>();
        for (int start = 0; start < IMAGES; start += BATCH) {
            rows.addAll(Arrays.asList(spatial.encode(images.subList(start, Math.min(IMAGES, start + BATCH)))));
        }
        return rows.toArray(new float[0][]);
    }

    @Test
    void memoryMappedSourceServesTheEncodersRowsInTheAskedOrder() {
        float[][] expected = encoderRows();
        try (FeatureCache cache = cache(spatial, FeatureDType.FLOAT32, "f32");
                NDManager manager = NDManager.newBaseManager()) {
            FeatureSource source = FeatureSource.memoryMapped(cache);
            int[] batch = {9, 2, 2, 5};
            float[] served = source.features(new ParameterStore(manager, false), manager, batch, true)
                    .toFloatArray();

            assertThat(source.size()).isEqualTo(IMAGES);
            assertThat(source.featureShape()).containsExactly(4, 4, 16);
            assertThat(source.trainableParameters().isEmpty()).isTrue();
            int d = spatial.featureSize();
            for (int i = 0; i < batch.length; i++) {
                assertThat(Arrays.copyOfRange(served, i * d, (i + 1) * d)).as("row %d", batch[i])
                        .containsExactly(expected[batch[i]]);
            }
        }
    }

    @Test
    void float16SourceServesTheEncodersRowsWithinHalfPrecision() {
        float[][] expected = encoderRows();
        try (FeatureCache cache = cache(spatial, FeatureDType.FLOAT16, "f16");
                NDManager manager = NDManager.newBaseManager()) {
            int[] all = IntStream.range(0, IMAGES).toArray();
            float[] served = FeatureSource.memoryMapped(cache).features(new ParameterStore(manager, false), manager,
                    all, false).toFloatArray();

            int d = spatial.featureSize();
            double worst = 0;
            for (int i = 0; i < IMAGES; i++) {
                for (int j = 0; j < d; j++) {
                    double error = Math.abs(served[i * d + j] - expected[i][j]);
                    worst = Math.max(worst, error / Math.max(Math.abs(expected[i][j]), 0x1p-14));
                }
            }
            assertThat(worst).isLessThanOrEqualTo(0x1p-11);
        }
    }

    @Test
    void pipelineFeaturesReadTheTestSplitInChunksEqualToTheCache() {
        float[][] expected = encoderRows();
        Map<Split, FeatureCache> caches = new EnumMap<>(Split.class);
        try (FeatureCache cache = cache(spatial, FeatureDType.FLOAT32, "f32")) {
            for (Split s : List.of(Split.TRAIN, Split.DEV, Split.TEST)) {
                caches.put(s, cache);
            }
            PipelineFeatures features = PipelineFeatures.memoryMapped(spatial, EncoderSpec.smallCnn(spatial), caches);
            FeatureRows test = features.featureRows(Split.TEST);

            assertThat(features.featureShape()).containsExactly(4, 4, 16);
            assertThat(test.size()).isEqualTo(IMAGES);
            assertThat(test.rows(3, 7)).isDeepEqualTo(Arrays.copyOfRange(expected, 3, 7));
            assertThat(test.chunkSize()).isEqualTo(FeatureRows.MAX_CHUNK_ROWS);
        }
    }

    @Test
    void cacheOfAnotherShapeThanTheEncoderIsRefusedNamingBothShapes() {
        try (BlockEncoder vectors = Encoders.smallCnn().optInputSize(32).optFeatureSize(16).optBaseChannels(4)
                .optEncoderOptions(EncoderOptions.defaults().withBatchSize(BATCH)).build();
                FeatureCache pooled = cache(vectors, FeatureDType.FLOAT32, "pooled")) {
            Map<Split, FeatureCache> caches = new EnumMap<>(Split.class);
            for (Split s : List.of(Split.TRAIN, Split.DEV, Split.TEST)) {
                caches.put(s, pooled);
            }

            assertThatThrownBy(() -> PipelineFeatures.memoryMapped(spatial, EncoderSpec.smallCnn(spatial), caches))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("the TRAIN feature cache holds rows of shape [16], but encoder small-cnn gives"
                            + " [4, 4, 16]");
        }
    }

    @Test
    void chunkSizeKeepsAChunkOfLargeMapsUnder64MiB() {
        FeatureRows flickrMaps = FeatureRows.of(new float[0][], 14, 14, 2048);
        FeatureRows vectors = FeatureRows.of(new float[0][], 2048);

        assertThat(flickrMaps.chunkSize()).isEqualTo(41);
        assertThat((long) flickrMaps.chunkSize() * 14 * 14 * 2048 * 4).isLessThanOrEqualTo(64L << 20);
        assertThat(vectors.chunkSize()).isEqualTo(256);
    }
}
