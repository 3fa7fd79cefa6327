package io.captioner.benchmarks;

import io.captioner.models.decoder.Precision;
import java.util.Locale;

/**
 * The sizes of a Show-and-Tell decoder that decide the cost of one decoding step, and the
 * arithmetic and memory traffic derived from them.
 *
 * <p>One step of B rows runs the LSTM gates ({@code [B, E+H] x [E+H, 4H]}) and the output
 * projection ({@code [B, H] x [H, V]}); the embedding lookup reads only B rows and is ignored.
 *
 * @param name short label used in results ({@code flickr8k}, {@code large})
 * @param vocabularySize V, specials included
 * @param embeddingSize E
 * @param hiddenSize H
 * @param featureSize D, the image feature length
 */
public record ModelShape(String name, int vocabularySize, int embeddingSize, int hiddenSize, int featureSize) {

    /** The Flickr8k configuration of issue 8: V 2,533, E 512, H 512, D 2048. */
    public static final ModelShape FLICKR8K = new ModelShape("flickr8k", 2533, 512, 512, 2048);

    /** The large configuration of issue 8: as Flickr8k with V 10,000. */
    public static final ModelShape LARGE = new ModelShape("large", 10_000, 512, 512, 2048);

    /**
     * Validates the sizes.
     *
     * @throws IllegalArgumentException naming the first size that is not positive
     */
    public ModelShape {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        if (vocabularySize <= 0 || embeddingSize <= 0 || hiddenSize <= 0 || featureSize <= 0) {
            throw new IllegalArgumentException("sizes must be positive, found V=" + vocabularySize
                    + " E=" + embeddingSize + " H=" + hiddenSize + " D=" + featureSize);
        }
    }

    /**
     * Returns the configuration with the given name.
     *
     * @param name {@code flickr8k} or {@code large}
     * @return the shape
     * @throws IllegalArgumentException for any other name
     */
    public static ModelShape of(String name) {
        return switch (name) {
            case "flickr8k" -> FLICKR8K;
            case "large" -> LARGE;
            default -> throw new IllegalArgumentException(
                    "model config must be flickr8k or large, found '" + name + "'");
        };
    }

    /**
     * Returns the float32 bytes every step must read at least once: LSTM input and recurrent
     * weights and both biases, the projection weight and bias.
     *
     * @return bytes per step, independent of the batch
     */
    public long stepWeightBytes() {
        long e = embeddingSize;
        long h = hiddenSize;
        long v = vocabularySize;
        long lstm = 4 * h * (e + h) + 2 * 4 * h;
        long projection = h * v + v;
        return 4 * (lstm + projection);
    }

    /**
     * Returns the bytes every step must read at least once with the weight matrices stored in a
     * precision: the matrices of {@link #stepWeightBytes()} at {@link Precision#bytesPerWeight()},
     * biases in float32, and for int8 one float32 scale per output unit.
     *
     * @param precision the matrices' format
     * @return bytes per step; {@link #stepWeightBytes()} for {@link Precision#FP32}
     */
    public long stepWeightBytes(Precision precision) {
        long e = embeddingSize;
        long h = hiddenSize;
        long v = vocabularySize;
        long matrices = 4 * h * (e + h) + h * v;
        long biases = 2 * 4 * h + v;
        long scales = precision == Precision.INT8 ? 4 * h + v : 0;
        return precision.bytesPerWeight() * matrices + 4 * (biases + scales);
    }

    /**
     * Returns the multiply-add arithmetic of one step for B rows, counted as 2 FLOPs per
     * multiply-add: {@code 2 B (E+H) 4H + 2 B H V}.
     *
     * @param rows B, images times beams
     * @return FLOPs per step
     */
    public double stepFlops(int rows) {
        return 2.0 * rows * (embeddingSize + hiddenSize) * 4.0 * hiddenSize
                + 2.0 * rows * hiddenSize * (double) vocabularySize;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s(V=%d, E=%d, H=%d, D=%d)", name, vocabularySize,
                embeddingSize, hiddenSize, featureSize);
    }
}
