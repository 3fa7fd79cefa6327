package io.captioner.models.decoder;

import io.captioner.CaptionDecoder;
import io.captioner.CaptionerException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * The decoder architectures the library can train, save and load, each with the stable id that
 * model artifacts record in {@code decoder.type}.
 */
public enum DecoderType {

    /** Show and Tell: an LSTM fed the image once (or also at its output), {@link DecoderConfig}. */
    SHOW_AND_TELL("show-and-tell-lstm", "lstm", DecoderConfig.class) {
        @Override
        public CaptionDecoder load(Path file, DecoderSpec expected, InferenceSettings settings) {
            return LstmCaptionDecoder.load(file, (DecoderConfig) expected, settings);
        }

        @Override
        public Set<Precision> precisions() {
            return Collections.unmodifiableSet(EnumSet.allOf(Precision.class));
        }

        @Override
        public DecoderSpec readSpec(Path file) {
            return LstmCaptionDecoder.readConfig(file);
        }

        @Override
        public String fileKind() {
            return LstmCaptionDecoder.FILE_KIND;
        }
    },

    /**
     * Show, Attend and Tell: an LSTM that attends over a spatial feature map at every word, {@link
     * AttentionDecoderConfig}.
     */
    SHOW_ATTEND_TELL("show-attend-tell", "attention", AttentionDecoderConfig.class) {
        @Override
        public CaptionDecoder load(Path file, DecoderSpec expected, InferenceSettings settings) {
            requireSupported(settings.precision(), file);
            return AttentionCaptionDecoder.load(file, (AttentionDecoderConfig) expected, settings);
        }

        @Override
        public Set<Precision> precisions() {
            return Collections.unmodifiableSet(EnumSet.of(Precision.FP32));
        }

        @Override
        public DecoderSpec readSpec(Path file) {
            return AttentionCaptionDecoder.readConfig(file);
        }

        @Override
        public String fileKind() {
            return AttentionCaptionDecoder.FILE_KIND;
        }
    };

    private final String id;
    private final String shortName;
    private final Class<? extends DecoderSpec> specType;

    DecoderType(String id, String shortName, Class<? extends DecoderSpec> specType) {
        this.id = id;
        this.shortName = shortName;
        this.specType = specType;
    }

    /**
     * Returns the name command lines use, such as {@code "lstm"} or {@code "attention"}.
     *
     * @return the short name
     */
    public String shortName() {
        return shortName;
    }

    /**
     * Finds a type by its short name or its id, as a user types it.
     *
     * @param name for example {@code "attention"} or {@code "show-attend-tell"}
     * @return the type
     * @throws IllegalArgumentException naming the value and the accepted names
     */
    public static DecoderType parse(String name) {
        for (DecoderType t : values()) {
            if (t.shortName.equals(name) || t.id.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown decoder '" + name + "', expected one of "
                + Arrays.stream(values()).map(DecoderType::shortName).toList());
    }

    /**
     * Returns the stable id written to artifacts, such as {@code "show-and-tell-lstm"}.
     *
     * @return the id
     */
    public String id() {
        return id;
    }

    /**
     * Returns the record type of this decoder's spec, for JSON (de)serialisation.
     *
     * @return the spec class
     */
    public Class<? extends DecoderSpec> specType() {
        return specType;
    }

    /**
     * Loads a decoder saved from a {@link TrainableDecoder#toParameterFile()} snapshot, to decode
     * with float32 weights and the default kernel.
     *
     * @param file the parameter file
     * @param expected the architecture the caller needs (checked against the file's, dropout
     *     aside), or null to take the file's
     * @return a decoder that owns its parameters; the caller closes it
     * @throws CaptionerException naming the file if it is missing, corrupt, of another decoder type
     *     or of another architecture
     */
    public CaptionDecoder load(Path file, DecoderSpec expected) {
        return load(file, expected, InferenceSettings.defaults());
    }

    /**
     * Loads a decoder saved from a {@link TrainableDecoder#toParameterFile()} snapshot, to decode
     * with the given precision and kernel (the file holds float32 whatever the precision).
     *
     * @param file the parameter file
     * @param expected the architecture the caller needs (checked against the file's, dropout
     *     aside), or null to take the file's
     * @param settings the precision of the step weights and the few-row kernel
     * @return a decoder that owns its parameters; the caller closes it
     * @throws CaptionerException naming the file if it is missing, corrupt, of another decoder type
     *     or of another architecture, or if this type does not decode at the settings' precision
     *     ({@link #precisions()})
     */
    public abstract CaptionDecoder load(Path file, DecoderSpec expected, InferenceSettings settings);

    /**
     * Returns the weight precisions decoders of this type can decode at.
     *
     * @return an unmodifiable view; always holds {@link Precision#FP32}
     */
    public abstract Set<Precision> precisions();

    /**
     * Checks that decoders of this type decode at a precision.
     *
     * @param precision the precision asked for
     * @param source what asked for it (a file or an artifact), for the message
     * @throws CaptionerException naming the source, this type, the precision and those supported
     */
    public void requireSupported(Precision precision, Object source) {
        if (!precisions().contains(precision)) {
            throw new CaptionerException(source + ": the " + shortName + " decoder (" + id + ") decodes at precision "
                    + precisions() + " only, not " + precision);
        }
    }

    /**
     * Reads the architecture recorded in a saved decoder file without loading its parameters into
     * native memory.
     *
     * @param file the parameter file
     * @return the spec
     * @throws CaptionerException naming the file if it is not a decoder of this type
     */
    public abstract DecoderSpec readSpec(Path file);

    /**
     * Returns the parameter-file kind of this type's saved decoders.
     *
     * @return the kind, such as {@code "show-and-tell-decoder"}
     */
    public abstract String fileKind();

    /**
     * Finds the type of a saved decoder file from its parameter-file kind.
     *
     * @param file a file saved from a {@link TrainableDecoder#toParameterFile()} snapshot
     * @return the type
     * @throws CaptionerException naming the file and the kind found if no type saves that kind
     */
    public static DecoderType ofFile(Path file) {
        String kind = io.captioner.models.internal.ParameterFile.readKind(file);
        for (DecoderType t : values()) {
            if (t.fileKind().equals(kind)) {
                return t;
            }
        }
        throw new CaptionerException(file + ": holds a " + kind + ", not a saved decoder (expected one of "
                + Arrays.stream(values()).map(DecoderType::fileKind).toList() + ")");
    }

    /**
     * Finds a type by its id.
     *
     * @param id an id such as {@code "show-and-tell-lstm"}
     * @return the type
     * @throws IllegalArgumentException naming the value and the known ids
     */
    public static DecoderType of(String id) {
        for (DecoderType t : values()) {
            if (t.id.equals(id)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown decoder type '" + id + "'; known: "
                + Arrays.stream(values()).map(DecoderType::id).toList());
    }

    @Override
    public String toString() {
        return shortName;
    }
}
