package io.captioner.models.encoder;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The torchvision ImageNet backbones this library rebuilds layer for layer. */
public enum TorchvisionArch {
    /** {@code torchvision.models.vgg16}: fc7 after ReLU, 4096 values; conv5_3 map 512×14×14. */
    VGG16("vgg16", 4096, 512, 14),
    /** {@code torchvision.models.resnet50} (v1.5): global average pool, 2048 values; layer4 map 2048×7×7. */
    RESNET50("resnet50", 2048, 2048, 7);

    private final String id;
    private final int featureSize;
    private final int spatialChannels;
    private final int spatialSize;

    TorchvisionArch(String id, int featureSize, int spatialChannels, int spatialSize) {
        this.id = id;
        this.featureSize = featureSize;
        this.spatialChannels = spatialChannels;
        this.spatialSize = spatialSize;
    }

    /**
     * Returns torchvision's name of the architecture.
     *
     * @return {@code vgg16} or {@code resnet50}
     */
    public String id() {
        return id;
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
     * @throws IllegalArgumentException naming the accepted values if unknown
     */
    public static TorchvisionArch of(String id) {
        for (TorchvisionArch a : values()) {
            if (a.id.equals(id.toLowerCase(Locale.ROOT))) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown architecture '" + id + "', expected one of "
                + Arrays.stream(values()).map(TorchvisionArch::id).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return id;
    }
}
