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
 * @param featureSize D, the length of the network's feature vector (its channels)
 * @param inputSize the small CNN's square input side in pixels (0 for torchvision networks)
 * @param baseChannels the small CNN's first convolution width (0 for torchvision networks)
 * @param preprocessing the image transform (resize, crop, mean, std)
 * @param baseWeights the torchvision {@code .npz} weights, or null for the small CNN
 * @param spatial whether the encoder gives its spatial map instead of the vector (see {@link
 *     io.captioner.models.encoder.EncoderOptions#withSpatialOutput()})
 * @param spatialSize the side the map is adaptive-average-pooled to, or 0 for the network's own
 */
public record EncoderSpec(EncoderKind kind, int featureSize, int inputSize, int baseChannels,
        Preprocessing preprocessing, Path baseWeights, boolean spatial, int spatialSize) {

    /**
     * Checks the fields.
     *
     * @param kind see the record description
     * @param featureSize see the record description
     * @param inputSize see the record description
     * @param baseChannels see the record description
     * @param preprocessing see the record description
     * @param baseWeights see the record description
     * @param spatial see the record description
     * @param spatialSize see the record description
     * @throws IllegalArgumentException if a size does not fit the kind or torchvision weights are
     *     missing
     */
    public EncoderSpec {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(preprocessing, "preprocessing");
        if (featureSize <= 0) {
            throw new IllegalArgumentException("featureSize must be positive, found " + featureSize);
        }
        if (spatialSize < 0 || (!spatial && spatialSize != 0)) {
            throw new IllegalArgumentException("spatialSize must be 0, or positive for a spatial encoder, found "
                    + spatialSize + (spatial ? "" : " (not spatial)"));
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
     * Creates the spec of a vector encoder (format version 1 artifacts hold only these).
     *
     * @param kind see the record description
     * @param featureSize see the record description
     * @param inputSize see the record description
     * @param baseChannels see the record description
     * @param preprocessing see the record description
     * @param baseWeights see the record description
     */
    public EncoderSpec(EncoderKind kind, int featureSize, int inputSize, int baseChannels,
            Preprocessing preprocessing, Path baseWeights) {
        this(kind, featureSize, inputSize, baseChannels, preprocessing, baseWeights, false, 0);
    }

    /**
     * Returns the options a loader builds this encoder with: spatial output as recorded, frozen.
     *
     * @param base the caller's batch size and other settings
     * @return the options
     */
    public io.captioner.models.encoder.EncoderOptions options(io.captioner.models.encoder.EncoderOptions base) {
        io.captioner.models.encoder.EncoderOptions frozen = base.withTrainable(false);
        if (!spatial) {
            return frozen;
        }
        return spatialSize > 0 ? frozen.withSpatialOutput(spatialSize) : frozen.withSpatialOutput();
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
        return new EncoderSpec(EncoderKind.SMALL_CNN, encoder.vectorSize(), encoder.preprocessing().crop(), base,
                encoder.preprocessing(), null, encoder.options().spatial(), encoder.options().spatialSize());
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

    /**
     * Describes a torchvision network loaded with {@link io.captioner.models.encoder.Encoders#torchvision},
     * with the output it was built with.
     *
     * @param encoder the encoder
     * @param weights the {@code .npz} it was loaded from
     * @return the spec, with ImageNet preprocessing
     * @throws IllegalArgumentException if the encoder is not a torchvision network
     */
    public static EncoderSpec torchvision(BlockEncoder encoder, Path weights) {
        TorchvisionArch arch = encoder.kind().flatMap(EncoderKind::torchvisionArch).orElseThrow(
                () -> new IllegalArgumentException("not a torchvision encoder: " + encoder.name()));
        return new EncoderSpec(arch.kind(), arch.featureSize(), 0, 0, Preprocessing.imagenet(), weights,
                encoder.options().spatial(), encoder.options().spatialSize());
    }
}
