package io.captioner.models.artifact;

import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.captioner.models.encoder.BlockEncoder;
import io.captioner.models.encoder.TorchvisionArch;
import io.captioner.models.image.Preprocessing;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How to rebuild an encoder when an artifact is loaded: its architecture, sizes and preprocessing,
 * and for torchvision networks the {@code .npz} weights it started from.
 *
 * @param architecture {@code small-cnn}, {@code vgg16} or {@code resnet50}
 * @param featureSize D, the length of the feature vector
 * @param inputSize the small CNN's square input side in pixels (0 for torchvision networks)
 * @param baseChannels the small CNN's first convolution width (0 for torchvision networks)
 * @param preprocessing the image transform (resize, crop, mean, std)
 * @param baseWeights the torchvision {@code .npz} weights, or null for the small CNN
 */
public record EncoderSpec(String architecture, int featureSize, int inputSize, int baseChannels,
        Preprocessing preprocessing, Path baseWeights) {

    /** Architecture name of the small trainable CNN. */
    public static final String SMALL_CNN = "small-cnn";

    /**
     * Checks the fields.
     *
     * @param architecture see the record description
     * @param featureSize see the record description
     * @param inputSize see the record description
     * @param baseChannels see the record description
     * @param preprocessing see the record description
     * @param baseWeights see the record description
     * @throws IllegalArgumentException if the architecture is unknown or a size does not fit it
     */
    public EncoderSpec {
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(preprocessing, "preprocessing");
        if (featureSize <= 0) {
            throw new IllegalArgumentException("featureSize must be positive, found " + featureSize);
        }
        if (architecture.equals(SMALL_CNN)) {
            if (inputSize <= 0 || baseChannels <= 0) {
                throw new IllegalArgumentException("small-cnn needs positive inputSize and baseChannels, found "
                        + inputSize + " and " + baseChannels);
            }
        } else {
            TorchvisionArch arch = TorchvisionArch.of(architecture);
            if (featureSize != arch.featureSize()) {
                throw new IllegalArgumentException(architecture + " gives " + arch.featureSize()
                        + " features, found featureSize " + featureSize);
            }
            if (baseWeights == null) {
                throw new IllegalArgumentException(architecture + " needs its .npz base weights");
            }
        }
    }

    /**
     * Describes a small CNN made by {@link io.captioner.models.encoder.Encoders#smallCnn}; its
     * input size, feature size and base width are read from the encoder.
     *
     * @param encoder a small-CNN encoder
     * @return the spec
     * @throws IllegalArgumentException if the encoder is not a small CNN
     */
    public static EncoderSpec smallCnn(BlockEncoder encoder) {
        if (!SMALL_CNN.equals(encoder.name())) {
            throw new IllegalArgumentException("not a small-cnn encoder: " + encoder.name());
        }
        Pair<String, Parameter> first = encoder.block().getParameters().get(0);
        int base = (int) first.getValue().getArray().getShape().get(0);
        return new EncoderSpec(SMALL_CNN, encoder.featureSize(), encoder.preprocessing().crop(), base,
                encoder.preprocessing(), null);
    }

    /**
     * Describes a torchvision network loaded with {@link io.captioner.models.encoder.Encoders#torchvision}.
     *
     * @param arch the architecture
     * @param weights the {@code .npz} it was loaded from (referenced by path and SHA-256, or
     *     embedded, when saving)
     * @return the spec, with ImageNet preprocessing
     */
    public static EncoderSpec torchvision(TorchvisionArch arch, Path weights) {
        return new EncoderSpec(arch.id(), arch.featureSize(), 0, 0, Preprocessing.imagenet(), weights);
    }
}
