package io.captioner.examples.cli;

import io.captioner.Captioner;
import io.captioner.data.Split;
import io.captioner.models.artifact.ModelArtifact;
import io.captioner.models.decoder.DecoderType;
import io.captioner.models.decoder.Precision;
import io.captioner.models.encoder.EncoderOptions;
import io.captioner.models.encoder.EncoderKind;
import io.captioner.models.encoder.TorchvisionArch;
import java.nio.file.Path;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/** Argument checks shared by the commands; failures are usage errors (exit code 2). */
final class CliArgs {

    private CliArgs() {}

    /**
     * Fails with a usage error when a condition on the arguments does not hold.
     *
     * @param spec the command being run
     * @param ok the condition
     * @param message the option, the rule and the value found
     */
    static void require(CommandSpec spec, boolean ok, String message) {
        if (!ok) {
            throw new ParameterException(spec.commandLine(), message);
        }
    }

    /**
     * Parses a split name given to an option.
     *
     * @param spec the command being run
     * @param option the option's name, for the message
     * @param value the value given
     * @return the split
     */
    static Split split(CommandSpec spec, String option, String value) {
        try {
            return Split.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), option + ": " + e.getMessage());
        }
    }

    /** Reads {@code --encoder} as an {@link EncoderKind} by its id: small-cnn, vgg16 or resnet50. */
    static final class EncoderKindConverter implements ITypeConverter<EncoderKind> {
        @Override
        public EncoderKind convert(String value) {
            try {
                return EncoderKind.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** Reads {@code --decoder} as a {@link DecoderType}: lstm or attention (or the type's id). */
    static final class DecoderTypeConverter implements ITypeConverter<DecoderType> {
        @Override
        public DecoderType convert(String value) {
            try {
                return DecoderType.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** Reads {@code --precision} as a {@link Precision}: fp32, bf16 or int8. */
    static final class PrecisionConverter implements ITypeConverter<Precision> {
        @Override
        public Precision convert(String value) {
            try {
                return Precision.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /**
     * Loads a model artifact for a command: through {@link Captioner#load} when no precision is
     * asked for (the model's own), else through {@link ModelArtifact#load(Path, EncoderOptions,
     * Precision)} with the given one.
     *
     * @param model the artifact directory or {@code .zip}
     * @param precision the decoder precision from {@code --precision}, or null
     * @return the captioner, owned by the caller
     * @throws io.captioner.CaptionerException naming the artifact if it cannot be loaded at that
     *     precision
     */
    static Captioner loadModel(Path model, Precision precision) {
        return precision == null ? Captioner.load(model)
                : ModelArtifact.load(model, EncoderOptions.defaults(), precision);
    }

    /** Reads {@code --encoder} as a {@link TorchvisionArch} ({@code vgg16}, {@code resnet50}). */
    static final class TorchvisionArchConverter implements ITypeConverter<TorchvisionArch> {
        @Override
        public TorchvisionArch convert(String value) {
            try {
                return TorchvisionArch.of(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
