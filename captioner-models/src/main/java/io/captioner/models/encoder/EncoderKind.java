package io.captioner.models.encoder;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The image encoders this library can rebuild from a model artifact: the small trainable CNN and
 * the torchvision backbones. Each kind has a stable {@link #id()} that names it in
 * {@code manifest.json} ({@code encoder.architecture}), in feature-cache keys and on the command
 * line ({@code --encoder}); code picks an encoder by kind, never by comparing strings.
 *
 * <p>Encoders made from other sources (a TorchScript module, DJL's model zoo) have no kind: see
 * {@link BlockEncoder#kind()}.
 */
public enum EncoderKind {
    /** The small trainable CNN of {@link Encoders#smallCnn()}; id {@code small-cnn}. */
    SMALL_CNN("small-cnn"),
    /** torchvision's VGG-16, {@link TorchvisionArch#VGG16}; id {@code vgg16}. */
    VGG16("vgg16"),
    /** torchvision's ResNet-50 (v1.5), {@link TorchvisionArch#RESNET50}; id {@code resnet50}. */
    RESNET50("resnet50");

    private final String id;

    EncoderKind(String id) {
        this.id = id;
    }

    /**
     * Returns the stable name of the kind, as written in manifests and given on the command line.
     *
     * @return {@code small-cnn}, {@code vgg16} or {@code resnet50}
     */
    public String id() {
        return id;
    }

    /**
     * Returns the torchvision architecture of this kind, if it is one.
     *
     * @return the architecture for {@link #VGG16} and {@link #RESNET50}; empty for {@link #SMALL_CNN}
     */
    public Optional<TorchvisionArch> torchvisionArch() {
        return switch (this) {
            case SMALL_CNN -> Optional.empty();
            case VGG16 -> Optional.of(TorchvisionArch.VGG16);
            case RESNET50 -> Optional.of(TorchvisionArch.RESNET50);
        };
    }

    /**
     * Parses a kind from its {@link #id()}, ignoring case.
     *
     * @param id {@code small-cnn}, {@code vgg16} or {@code resnet50}
     * @return the kind
     * @throws IllegalArgumentException naming the value and the accepted ids if it is none of them
     */
    public static EncoderKind parse(String id) {
        if (id != null) {
            String wanted = id.trim().toLowerCase(Locale.ROOT);
            for (EncoderKind k : values()) {
                if (k.id.equals(wanted)) {
                    return k;
                }
            }
        }
        throw new IllegalArgumentException("unknown encoder '" + id + "', expected one of "
                + Arrays.stream(values()).map(EncoderKind::id).collect(Collectors.joining(", ")));
    }

    /**
     * Returns the {@link #id()}, so that messages name the kind as users write it.
     *
     * @return the id
     */
    @Override
    public String toString() {
        return id;
    }
}
