package io.captioner.benchmarks;

import io.captioner.models.decoder.AttentionDecoderConfig;
import java.util.Locale;

/**
 * The sizes of a Show-Attend-Tell decoder that decide the cost of one decoding step (issue 15), and
 * the memory traffic and arithmetic derived from them.
 *
 * <p>One step of R rows over its images' maps (L = H·W locations, D channels) runs, per row: the
 * hidden projection {@code [N] x [N, A]}, the scores over the precomputed encoder projection ({@code
 * [L, A]}), the context {@code α · [L, D]}, the gate, the LSTM's context and hidden products {@code
 * [D] x [D, 4N]} and {@code [N] x [N, 4N]}, and the output {@code [N] x [N, V]}. The word part of the
 * LSTM input is one row of a table per token at best, so it is left out of the bound.
 *
 * @param name short label used in results: the encoder whose map it is
 * @param vocabularySize V, specials included
 * @param mapHeight H
 * @param mapWidth W
 * @param channels D
 * @param attentionSize A
 * @param embeddingSize E
 * @param hiddenSize N
 */
public record AttentionShape(String name, int vocabularySize, int mapHeight, int mapWidth, int channels,
        int attentionSize, int embeddingSize, int hiddenSize) {

    /** ResNet-50's layer4 on a 224 crop, 7×7×2048, with the Flickr8k vocabulary (2,541 ids) and 512 everywhere else. */
    public static final AttentionShape RESNET50 = new AttentionShape("resnet50", 2541, 7, 7, 2048, 512, 512, 512);

    /** VGG-16's conv5_3 on a 224 crop, 14×14×512, as in Show, Attend and Tell. */
    public static final AttentionShape VGG16 = new AttentionShape("vgg16", 2541, 14, 14, 512, 512, 512, 512);

    /**
     * Validates the sizes.
     *
     * @throws IllegalArgumentException naming the sizes if one is not positive
     */
    public AttentionShape {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        if (vocabularySize <= 0 || mapHeight <= 0 || mapWidth <= 0 || channels <= 0 || attentionSize <= 0
                || embeddingSize <= 0 || hiddenSize <= 0) {
            throw new IllegalArgumentException("sizes must be positive, found " + this);
        }
    }

    /**
     * Returns the configuration with the given name.
     *
     * @param name {@code resnet50} or {@code vgg16}
     * @return the shape
     * @throws IllegalArgumentException for any other name
     */
    public static AttentionShape of(String name) {
        return switch (name) {
            case "resnet50" -> RESNET50;
            case "vgg16" -> VGG16;
            default -> throw new IllegalArgumentException("map must be resnet50 or vgg16, found '" + name + "'");
        };
    }

    /** Returns L = H·W. */
    public int locations() {
        return mapHeight * mapWidth;
    }

    /** Returns the floats of one image's feature row, L·D. */
    public int featureSize() {
        return locations() * channels;
    }

    /**
     * Returns the decoder configuration of these sizes (dropout and the penalty do not change a step).
     *
     * @return the configuration
     */
    public AttentionDecoderConfig config() {
        return AttentionDecoderConfig.builder().setVocabularySize(vocabularySize)
                .setFeatureShape(mapHeight, mapWidth, channels).optAttentionSize(attentionSize)
                .optEmbeddingSize(embeddingSize).optHiddenSize(hiddenSize).build();
    }

    /**
     * Returns the float32 weight bytes every step reads at least once: the hidden projection, the
     * score vector, the gate, the LSTM's context and hidden weights with its bias, the output layer.
     *
     * @return bytes per step, independent of the batch
     */
    public long stepWeightBytes() {
        long n = hiddenSize;
        long a = attentionSize;
        long d = channels;
        long v = vocabularySize;
        return 4 * (n * a + a + n + 1 + d * 4 * n + n * 4 * n + 4 * n + n * v + v);
    }

    /**
     * Returns the feature-map bytes a step reads for some images: each image's encoder projection
     * {@code [L, A]} and map {@code [L, D]} once (beams of one image share them at best).
     *
     * @param images the images being decoded
     * @return bytes per step
     */
    public long mapBytes(int images) {
        return 4L * images * locations() * (attentionSize + channels);
    }

    /**
     * Returns the multiply-add arithmetic of one step for R rows, 2 FLOPs each.
     *
     * @param rows R, images times beams
     * @return FLOPs per step
     */
    public double stepFlops(int rows) {
        double n = hiddenSize;
        double perRow = n * attentionSize + (double) locations() * attentionSize + (double) locations() * channels
                + n + (double) channels * 4 * n + n * 4 * n + n * vocabularySize;
        return 2.0 * rows * perRow;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s(V=%d, map %dx%dx%d, A=%d, E=%d, N=%d)", name, vocabularySize,
                mapHeight, mapWidth, channels, attentionSize, embeddingSize, hiddenSize);
    }
}
