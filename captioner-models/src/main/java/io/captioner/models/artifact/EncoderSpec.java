package io.captioner.models.artifact;

import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.captioner.models.encoder.BlockEncoder;
import io.captioner.models.encoder.EncoderKind;
import io.captioner.models.encoder.TorchvisionArch;
import io.captioner.models.image.Preprocessing;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How to rebuild an encoder when an artifact is loaded: its kind, sizes and preprocessing, and for
 * torchvision networks the {@code .npz} weights it started from.
 *
 * @param kind which encoder; its {@link EncoderKind#id()} is {@code encoder.architecture} in
 *     {@code manifest.json}
 * @param featureSize D, the length of the feature vector
 * @param inputSize the small CNN's square input side in pixels (0 for torchvision networks)
 * @param baseChannels the small CNN's first convolution width (0 for torchvision networks)
 * @param preprocessing the image transform (resize, crop, mean, std)
 * @param baseWeights the torchvision {@code .npz} weights, or null for the small CNN
 */
public record EncoderSpec(EncoderKind kind, int featureSize, int inputSize, int baseChannels,
        Preprocessing preprocessing, Path baseWeights) {

    /**
     * Checks the fields.
     *
     * @param kind see the record description
     * @param featureSize see the record description
     * @param inputSize see the record description
     * @param baseChannels see the record description
     * @param preprocessing see the record description
     * @param baseWeights see the record description
     * @throws IllegalArgumentException if a size does not fit the kind or torchvision weights are
     *     missing
     */
    public EncoderSpec {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(preprocessing, "preprocessing");
        if (featureSize <= 0) {
            throw new IllegalArgumentException("featureSize must be positive, found " + featureSize);
        }
        Optional<TorchvisionArch> arch = kind.torchvisionArch();
        if (arch.isEmpty()) {
            if (inputSize <= 0 || baseChannels <= 0) {
                throw new IllegalArgumentException(kind + " needs positive inputSize and baseChannels, found "
                        + inputSize + " and " + baseChannels);
            }
        } else {
            if (featureSize != arch.get().featureSize()) {
                throw new IllegalArgumentException(kind + " gives " + arch.get().featureSize()
                        + " features, found featureSize " + featureSize);
            }
            if (baseWeights == null) {
                throw new IllegalArgumentException(kind + " needs its .npz base weights");
            }
        }
    }

    /**
     * Describes a small CNN made by {@link io.captioner.models.encoder.Encoders#smallCnn()}; its
     * input size, feature size and base width are read from the encoder.
     *
     * @param encoder a small-CNN encoder
     * @return the spec
     * @throws IllegalArgumentException if the encoder is not a small CNN
     */
    public static EncoderSpec smallCnn(BlockEncoder encoder) {
        if (encoder.kind().orElse(null) != EncoderKind.SMALL_CNN) {
            throw new IllegalArgumentException("not a " + EncoderKind.SMALL_CNN + " encoder: " + encoder.name());
        }
        Pair<String, Parameter> first = encoder.block().getParameters().get(0);
        int base = (int) first.getValue().getArray().getShape().get(0);
        return new EncoderSpec(EncoderKind.SMALL_CNN, encoder.featureSize(), encoder.preprocessing().crop(), base,
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
        return new EncoderSpec(arch.kind(), arch.featureSize(), 0, 0, Preprocessing.imagenet(), weights);
    }
}
