package io.captioner.models.encoder;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The torchvision ImageNet backbones this library rebuilds layer for layer: the
 * {@link EncoderKind}s that load torchvision weights, with their network shapes. Each one is a view
 * of its kind ({@link #kind()}), with the same id.
 */
public enum TorchvisionArch {
    /** {@code torchvision.models.vgg16}: fc7 after ReLU, 4096 values; conv5_3 map 512×14×14. */
    VGG16(4096, 512, 14),
    /** {@code torchvision.models.resnet50} (v1.5): global average pool, 2048 values; layer4 map 2048×7×7. */
    RESNET50(2048, 2048, 7);

    private final int featureSize;
    private final int spatialChannels;
    private final int spatialSize;

    TorchvisionArch(int featureSize, int spatialChannels, int spatialSize) {
        this.featureSize = featureSize;
        this.spatialChannels = spatialChannels;
        this.spatialSize = spatialSize;
    }

    /**
     * Returns the encoder kind this architecture belongs to.
     *
     * @return {@link EncoderKind#VGG16} or {@link EncoderKind#RESNET50}
     */
    public EncoderKind kind() {
        return switch (this) {
            case VGG16 -> EncoderKind.VGG16;
            case RESNET50 -> EncoderKind.RESNET50;
        };
    }

    /**
     * Returns torchvision's name of the architecture, which is also its {@link EncoderKind#id()}.
     *
     * @return {@code vgg16} or {@code resnet50}
     */
    public String id() {
        return kind().id();
    }

    /**
     * Returns the length of the penultimate feature vector.
     *
     * @return 4096 for VGG-16, 2048 for ResNet-50
     */
    public int featureSize() {
        return featureSize;
    }

    /**
     * Returns the channel count of the last spatial map at 224×224 input.
     *
     * @return 512 for VGG-16, 2048 for ResNet-50
     */
    public int spatialChannels() {
        return spatialChannels;
    }

    /**
     * Returns the side of the last spatial map at 224×224 input.
     *
     * @return 14 for VGG-16 (conv5_3), 7 for ResNet-50 (layer4)
     */
    public int spatialSize() {
        return spatialSize;
    }

    /**
     * Parses torchvision's name, ignoring case.
     *
     * @param id {@code vgg16} or {@code resnet50}
     * @return the architecture
     * @throws IllegalArgumentException naming the value and the accepted ones if it is not a
     *     torchvision architecture (also for {@code small-cnn})
     */
    public static TorchvisionArch of(String id) {
        String wanted = id == null ? null : id.trim().toLowerCase(Locale.ROOT);
        for (TorchvisionArch a : values()) {
            if (a.id().equals(wanted)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown architecture '" + id + "', expected one of "
                + Arrays.stream(values()).map(TorchvisionArch::id).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return id();
    }
}
