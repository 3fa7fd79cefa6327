package io.captioner.models.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.captioner.models.cache.FeatureCache;

/**
 * Where the image features of a training batch come from: rows computed once by a frozen encoder
 * (Show and Tell's way), in memory ({@link #cached}) or memory-mapped from a feature cache ({@link
 * #memoryMapped}), or an encoder block run on the images every step, whose parameters then train
 * together with the decoder (end to end).
 */
public interface FeatureSource {

    /**
     * Returns N, the number of images.
     *
     * @return the image count
     */
    int size();

    /**
     * Returns the shape of one image's features: {@code {D}} for a pooled vector, {@code {H, W, D}}
     * for a spatial map.
     *
     * @return a fresh array
     */
    int[] featureShape();

    /**
     * Returns the number of floats of one image's features, the product of {@link
     * #featureShape()}.
     *
     * @return the length of one image's row
     */
    default int featureLength() {
        int n = 1;
        for (int d : featureShape()) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /**
     * Computes the features of some images.
     *
     * @param parameterStore where encoder parameters come from
     * @param manager the manager that must own the result and any intermediate array
     * @param images indices in [0, N)
     * @param training whether the encoder runs in training mode (dropout, batch statistics)
     * @return {@code [B, F...] float32} with F the {@link #featureShape()}, B = {@code images.length}
     */
    NDArray features(ParameterStore parameterStore, NDManager manager, int[] images, boolean training);

    /**
     * Returns the parameters that the optimiser updates alongside the decoder's; empty when the
     * features are fixed.
     *
     * @return named parameters, initialised
     */
    PairList<String, Parameter> trainableParameters();

    /**
     * Serves precomputed feature vectors of shape {@code [D]}; nothing trains.
     *
     * @param features N rows of D floats; kept by reference, not copied
     * @return the source
     * @throws IllegalArgumentException naming the first row whose length differs from row 0
     */
    static FeatureSource cached(float[][] features) {
        if (features == null || features.length == 0) {
            throw new IllegalArgumentException("features must hold at least one row");
        }
        return cached(features, features[0] == null ? 0 : features[0].length);
    }

    /**
     * Serves precomputed features of any per-image shape (for example a spatial map {@code [H, W,
     * D]}, each row location-major, channels last); nothing trains.
     *
     * @param features N rows, each the product of {@code shape} floats; kept by reference
     * @param shape the shape of one image's features
     * @return the source
     * @throws IllegalArgumentException naming the first row of the wrong length
     */
    static FeatureSource cached(float[][] features, int... shape) {
        if (features == null || features.length == 0) {
            throw new IllegalArgumentException("features must hold at least one row");
        }
        int[] rowShape = shape.clone();
        long length = 1;
        for (int d : rowShape) {
            if (d < 1) {
                throw new IllegalArgumentException("feature shape must have positive sizes, found "
                        + java.util.Arrays.toString(rowShape));
            }
            length *= d;
        }
        if (length > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("feature shape " + java.util.Arrays.toString(rowShape) + " is too large");
        }
        int d = (int) length;
        for (int i = 0; i < features.length; i++) {
            if (features[i] == null || features[i].length != d) {
                throw new IllegalArgumentException("features[" + i + "] must have " + d + " values "
                        + java.util.Arrays.toString(rowShape) + ", found "
                        + (features[i] == null ? "null" : Integer.toString(features[i].length)));
            }
        }
        Shape batchShape = new Shape(java.util.Arrays.stream(rowShape).asLongStream().toArray());
        return new FeatureSource() {
            @Override
            public int size() {
                return features.length;
            }

            @Override
            public int[] featureShape() {
                return rowShape.clone();
            }

            @Override
            public NDArray features(ParameterStore ps, NDManager manager, int[] images, boolean training) {
                float[] flat = new float[images.length * d];
                for (int i = 0; i < images.length; i++) {
                    System.arraycopy(features[images[i]], 0, flat, i * d, d);
                }
                return manager.create(flat, new Shape(images.length).addAll(batchShape));
            }

            @Override
            public PairList<String, Parameter> trainableParameters() {
                return new PairList<>();
            }
        };
    }

    /**
     * Serves the rows of a feature cache straight from its memory mapping: each batch's rows are
     * gathered from the mapped file and turned into float32 in the engine (float16 caches are
     * converted batch by batch), so training holds one batch of features at a time, never the
     * split; nothing trains.
     *
     * @param cache an open cache, one row per image; the caller keeps it open while the source is
     *     used and closes it afterwards
     * @return the source, with the cache's {@link FeatureCache#featureShape()}
     */
    static FeatureSource memoryMapped(FeatureCache cache) {
        java.util.Objects.requireNonNull(cache, "cache");
        if (cache.size() == 0) {
            throw new IllegalArgumentException(cache + " must hold at least one row");
        }
        return new FeatureSource() {
            @Override
            public int size() {
                return cache.size();
            }

            @Override
            public int[] featureShape() {
                return cache.featureShape();
            }

            @Override
            public NDArray features(ParameterStore ps, NDManager manager, int[] images, boolean training) {
                return cache.rows(manager, images);
            }

            @Override
            public PairList<String, Parameter> trainableParameters() {
                return new PairList<>();
            }
        };
    }

    /**
     * Runs a trainable encoder block on preprocessed images at every step (end-to-end training).
     *
     * @param encoder an initialised block mapping {@code [B, C, H, W] float32} to the vector {@code
     *     [B, D]} first and, optionally, a spatial map {@code [B, D, h, w]} second; its parameters
     *     that take gradients join the optimiser, the others (batch-norm running statistics) are
     *     checkpointed; the caller keeps ownership
     * @param images N preprocessed images, each {@code C*H*W} floats in row-major CHW order
     * @param imageShape {@code (C, H, W)}
     * @param featureShape {@code {D}} to train on the vector, or {@code {h, w, D}} to train on the
     *     spatial map (served as {@code [B, h, w, D]}, channels last)
     * @return the source
     * @throws IllegalArgumentException naming the first image of the wrong size, or a feature shape
     *     of another rank
     */
    static FeatureSource trainableEncoder(Block encoder, float[][] images, Shape imageShape, int... featureShape) {
        if (imageShape.dimension() != 3) {
            throw new IllegalArgumentException("imageShape must be (C, H, W), found " + imageShape);
        }
        if (!encoder.isInitialized()) {
            throw new IllegalArgumentException("encoder must be initialised");
        }
        if (featureShape.length != 1 && featureShape.length != 3) {
            throw new IllegalArgumentException("featureShape must be {D} or {h, w, D}, found "
                    + java.util.Arrays.toString(featureShape));
        }
        int[] rowShape = featureShape.clone();
        boolean spatial = rowShape.length == 3;
        Shape expected = new Shape(java.util.Arrays.stream(rowShape).asLongStream().toArray());
        int pixels = Math.toIntExact(imageShape.size());
        for (int i = 0; i < images.length; i++) {
            if (images[i] == null || images[i].length != pixels) {
                throw new IllegalArgumentException("images[" + i + "] must have " + pixels + " values "
                        + imageShape + ", found " + (images[i] == null ? "null" : images[i].length));
            }
        }
        return new FeatureSource() {
            @Override
            public int size() {
                return images.length;
            }

            @Override
            public int[] featureShape() {
                return rowShape.clone();
            }

            @Override
            public NDArray features(ParameterStore ps, NDManager manager, int[] idx, boolean training) {
                float[] flat = new float[idx.length * pixels];
                for (int i = 0; i < idx.length; i++) {
                    System.arraycopy(images[idx[i]], 0, flat, i * pixels, pixels);
                }
                NDArray x = manager.create(flat, new Shape(idx.length).addAll(imageShape));
                NDList outputs = encoder.forward(ps, new NDList(x), training);
                if (spatial && outputs.size() < 2) {
                    throw new IllegalStateException("encoder must return a spatial map as its second output,"
                            + " returned " + outputs.size() + " array(s)");
                }
                NDArray out = spatial ? outputs.get(1).transpose(0, 2, 3, 1) : outputs.get(0);
                Shape want = new Shape(idx.length).addAll(expected);
                if (!out.getShape().equals(want)) {
                    throw new IllegalStateException("encoder must give " + want + (spatial ? " (channels last)" : "")
                            + ", gave " + out.getShape());
                }
                return out;
            }

            @Override
            public PairList<String, Parameter> trainableParameters() {
                return encoder.getParameters();
            }
        };
    }
}
