package io.captioner.models.train;

import ai.djl.ndarray.types.Shape;
import io.captioner.data.Split;
import io.captioner.models.artifact.EncoderSpec;
import io.captioner.models.cache.FeatureCache;
import io.captioner.models.encoder.BlockEncoder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/**
 * Where a {@link TrainingPipeline} gets the image features of its splits, and which encoder the
 * saved model carries. Features computed beforehand by a frozen encoder, in memory ({@link
 * #precomputed}: features extracted on a cluster, for example) or memory-mapped from feature
 * caches ({@link #memoryMapped}), or images that a trainable encoder turns into features at every
 * step ({@link #endToEnd}). Rows follow the images of the
 * pipeline's {@code TokenizedCaptions} of each split, in the same order.
 */
public interface PipelineFeatures {

    /**
     * Returns the shape of one image's features: {@code {D}} or {@code {H, W, D}}.
     *
     * @return a fresh array
     */
    int[] featureShape();

    /**
     * Returns the features of a split for training or validation.
     *
     * @param split {@link Split#TRAIN} or {@link Split#DEV}
     * @return the source, one row per image of the split
     */
    FeatureSource source(Split split);

    /**
     * Called once training has finished, before {@link #rows} and the save: a trainable encoder
     * takes the parameters of the best epoch here.
     *
     * @param result the training outcome
     */
    void trained(TrainingResult result);

    /**
     * Returns the feature rows of a split for captioning (after {@link #trained}).
     *
     * @param split usually {@link Split#TEST}
     * @return one row per image of the split, each the product of {@link #featureShape()} floats
     */
    float[][] rows(Split split);

    /**
     * Returns the feature rows of a split for captioning (after {@link #trained}), to be read a
     * chunk at a time; the pipeline captions the test split this way. The default serves {@link
     * #rows}; sources whose features do not fit in memory read each chunk when asked.
     *
     * @param split usually {@link Split#TEST}
     * @return one row per image of the split, shaped as {@link #featureShape()}
     */
    default FeatureRows featureRows(Split split) {
        return FeatureRows.of(rows(split), featureShape());
    }

    /**
     * Returns the encoder the saved model carries (with the trained parameters, after {@link
     * #trained}); the pipeline does not close it.
     *
     * @return the encoder
     */
    BlockEncoder encoder();

    /**
     * Returns how a loader rebuilds the encoder.
     *
     * @return the encoder's spec
     */
    EncoderSpec encoderSpec();

    /**
     * Returns a file of encoder parameters to save in the model instead of the encoder's current
     * ones, or null.
     *
     * @return the parameter file, or null
     */
    default Path encoderParameters() {
        return null;
    }

    /**
     * Features computed beforehand by a frozen encoder.
     *
     * @param encoder the encoder that computed them (saved with the model; not closed here)
     * @param spec how to rebuild it
     * @param rows per split, one row per image; train, dev and test are required
     * @param shape the shape of one row, e.g. {@code D} or {@code H, W, D}
     * @return the features
     * @throws IllegalArgumentException if a split is missing
     */
    static PipelineFeatures precomputed(BlockEncoder encoder, EncoderSpec spec, Map<Split, float[][]> rows,
            int... shape) {
        Map<Split, float[][]> copy = new EnumMap<>(rows);
        for (Split s : new Split[] {Split.TRAIN, Split.DEV, Split.TEST}) {
            if (!copy.containsKey(s)) {
                throw new IllegalArgumentException("features of split " + s + " are required");
            }
        }
        int[] rowShape = shape.clone();
        return new PipelineFeatures() {
            @Override
            public int[] featureShape() {
                return rowShape.clone();
            }

            @Override
            public FeatureSource source(Split split) {
                return FeatureSource.cached(copy.get(split), rowShape);
            }

            @Override
            public void trained(TrainingResult result) {}

            @Override
            public float[][] rows(Split split) {
                return copy.get(split);
            }

            @Override
            public BlockEncoder encoder() {
                return encoder;
            }

            @Override
            public EncoderSpec encoderSpec() {
                return spec;
            }
        };
    }

    /**
     * Features computed beforehand by a frozen encoder and served from feature caches through
     * their memory mapping: training reads one batch at a time ({@link
     * FeatureSource#memoryMapped}) and the test split is captioned chunk by chunk ({@link
     * #featureRows}), so the features of a split never have to fit in memory.
     *
     * @param encoder the encoder that computed them (saved with the model; not closed here)
     * @param spec how to rebuild it
     * @param caches per split, an open cache with one row per image of the split, in the split's
     *     image order; train, dev and test are required; the caller closes them after the run
     * @return the features
     * @throws IllegalArgumentException if a split is missing, or a cache's rows have another shape
     *     than the encoder's (naming both shapes)
     */
    static PipelineFeatures memoryMapped(BlockEncoder encoder, EncoderSpec spec, Map<Split, FeatureCache> caches) {
        Map<Split, FeatureCache> copy = new EnumMap<>(caches);
        int[] shape = encoder.featureShape();
        for (Split s : new Split[] {Split.TRAIN, Split.DEV, Split.TEST}) {
            FeatureCache cache = copy.get(s);
            if (cache == null) {
                throw new IllegalArgumentException("the feature cache of split " + s + " is required");
            }
            if (!Arrays.equals(cache.featureShape(), shape)) {
                throw new IllegalArgumentException("the " + s + " feature cache holds rows of shape "
                        + Arrays.toString(cache.featureShape()) + ", but encoder " + encoder.name()
                        + " gives " + Arrays.toString(shape));
            }
        }
        return new PipelineFeatures() {
            @Override
            public int[] featureShape() {
                return shape.clone();
            }

            @Override
            public FeatureSource source(Split split) {
                return FeatureSource.memoryMapped(copy.get(split));
            }

            @Override
            public void trained(TrainingResult result) {}

            /** Reads the whole split into memory; the pipeline reads {@link #featureRows} instead. */
            @Override
            public float[][] rows(Split split) {
                FeatureCache cache = copy.get(split);
                return cache.get(0, cache.size());
            }

            @Override
            public FeatureRows featureRows(Split split) {
                FeatureCache cache = copy.get(split);
                return new FeatureRows() {
                    @Override
                    public int size() {
                        return cache.size();
                    }

                    @Override
                    public int[] featureShape() {
                        return shape.clone();
                    }

                    @Override
                    public float[][] rows(int from, int to) {
                        return cache.get(from, to);
                    }
                };
            }

            @Override
            public BlockEncoder encoder() {
                return encoder;
            }

            @Override
            public EncoderSpec encoderSpec() {
                return spec;
            }
        };
    }

    /**
     * Preprocessed images and a trainable encoder that trains with the decoder; after training it
     * takes the best epoch's parameters, computes the test features and is saved with them.
     *
     * @param encoder a trainable encoder (its block's parameters join the optimiser; not closed
     *     here); built with spatial output, it trains on its map (without pooling to another side)
     * @param spec how to rebuild it
     * @param images per split, the preprocessed images ({@code C*H*W} floats each, CHW order, the
     *     encoder's crop); train, dev and test are required
     * @param batchSize images per encoder pass when computing the test features
     * @return the features
     * @throws IllegalArgumentException if a split is missing
     */
    static PipelineFeatures endToEnd(BlockEncoder encoder, EncoderSpec spec, Map<Split, float[][]> images,
            int batchSize) {
        Map<Split, float[][]> copy = new EnumMap<>(images);
        for (Split s : new Split[] {Split.TRAIN, Split.DEV, Split.TEST}) {
            if (!copy.containsKey(s)) {
                throw new IllegalArgumentException("images of split " + s + " are required");
            }
        }
        int crop = encoder.preprocessing().crop();
        Shape imageShape = new Shape(3, crop, crop);
        return new PipelineFeatures() {
            private Path best;

            @Override
            public int[] featureShape() {
                return encoder.featureShape();
            }

            @Override
            public FeatureSource source(Split split) {
                return FeatureSource.trainableEncoder(encoder.block(), copy.get(split), imageShape,
                        encoder.featureShape());
            }

            @Override
            public void trained(TrainingResult result) {
                best = result.bestEncoder();
                if (best != null) {
                    encoder.loadParameters(best);
                }
            }

            @Override
            public float[][] rows(Split split) {
                return encode(copy.get(split), 0, copy.get(split).length);
            }

            @Override
            public FeatureRows featureRows(Split split) {
                float[][] tensors = copy.get(split);
                int[] shape = encoder.featureShape();
                return new FeatureRows() {
                    @Override
                    public int size() {
                        return tensors.length;
                    }

                    @Override
                    public int[] featureShape() {
                        return shape.clone();
                    }

                    @Override
                    public float[][] rows(int from, int to) {
                        java.util.Objects.checkFromToIndex(from, to, tensors.length);
                        return encode(tensors, from, to);
                    }
                };
            }

            /** Runs the encoder over images [from, to) in batches of {@code batchSize}. */
            private float[][] encode(float[][] tensors, int from, int to) {
                float[][] out = new float[to - from][];
                for (int start = from; start < to; start += batchSize) {
                    int n = Math.min(batchSize, to - start);
                    int size = tensors[start].length;
                    float[] batch = new float[n * size];
                    for (int i = 0; i < n; i++) {
                        System.arraycopy(tensors[start + i], 0, batch, i * size, size);
                    }
                    System.arraycopy(encoder.encodePreprocessed(batch, n), 0, out, start - from, n);
                }
                return out;
            }

            @Override
            public BlockEncoder encoder() {
                return encoder;
            }

            @Override
            public EncoderSpec encoderSpec() {
                return spec;
            }

            @Override
            public Path encoderParameters() {
                return best;
            }
        };
    }
}
