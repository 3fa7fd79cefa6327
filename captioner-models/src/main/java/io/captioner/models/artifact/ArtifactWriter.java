package io.captioner.models.artifact;

import io.captioner.CaptionerException;
import io.captioner.DecodingOptions;
import io.captioner.io.AtomicFiles;
import io.captioner.io.Digests;
import io.captioner.models.decoder.DecoderSpec;
import io.captioner.models.decoder.DecoderType;
import io.captioner.models.decoder.Precision;
import io.captioner.models.decoder.SavableDecoder;
import io.captioner.models.internal.ParameterFile;
import io.captioner.models.encoder.BlockEncoder;
import io.captioner.models.encoder.EncoderKind;
import io.captioner.text.Vocabulary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Saves a trained captioner as one artifact: a directory, or a {@code .zip} when the target name
 * ends with {@code .zip}. See {@link Manifest} for the layout. Build with {@link #builder()}.
 *
 * <p>Files inside: {@code manifest.json}; {@code vocab.txt} (the core {@link Vocabulary} format);
 * {@code decoder.params} ({@link SavableDecoder#save}'s format, of the decoder's type); {@code encoder.params} (the
 * encoder's parameters as a captioner array file of kind {@value BlockEncoder#PARAMETER_FILE_KIND}, always
 * for the small CNN, for torchvision networks only with {@link Builder#optSaveEncoderParameters});
 * {@code encoder-base.npz} when torchvision weights are embedded; {@code serving.properties} so
 * that DJL's {@code Criteria} can load the directory (see {@link io.captioner.models.djl}).
 *
 * <p>Everything is written into a temporary sibling of the target first and then moved into place
 * (a zip by an atomic file rename; a directory by renaming the finished directory, replacing an
 * existing one, with {@link AtomicFiles#writeDirectory}), so a crash never leaves a half-written
 * artifact under the target name.
 */
public final class ArtifactWriter {

    /** Name of the vocabulary file inside an artifact. */
    public static final String VOCABULARY_FILE = "vocab.txt";
    /** Name of the decoder parameter file inside an artifact. */
    public static final String DECODER_FILE = "decoder.params";
    /** Name of the encoder parameter file inside an artifact. */
    public static final String ENCODER_FILE = "encoder.params";
    /** Name of embedded torchvision weights inside an artifact. */
    public static final String BASE_WEIGHTS_FILE = "encoder-base.npz";
    /** Name of DJL's model properties file inside an artifact. */
    public static final String SERVING_PROPERTIES = "serving.properties";

    private final Builder b;

    private ArtifactWriter(Builder b) {
        this.b = b;
    }

    /**
     * Creates a builder; {@code setEncoder}, {@code setDecoder} and {@code setVocabulary} are
     * required.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Writes the artifact.
     *
     * @param target a directory path, or a file path ending in {@code .zip}; an existing artifact
     *     there is replaced
     * @return the manifest that was written
     * @throws CaptionerException naming the target if writing fails
     */
    public Manifest write(Path target) {
        Path abs = target.toAbsolutePath().normalize();
        if (!abs.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".zip")) {
            Manifest[] written = new Manifest[1];
            AtomicFiles.writeDirectory(abs, dir -> {
                written[0] = writeInto(dir);
                makeReadable(dir);
            });
            return written[0];
        }
        Path tmp = null;
        try {
            Path parent = abs.getParent();
            Files.createDirectories(parent);
            tmp = Files.createTempDirectory(parent, "." + abs.getFileName() + ".tmp-");
            Manifest manifest = writeInto(tmp);
            makeReadable(tmp);
            Path dir = tmp;
            AtomicFiles.write(abs, out -> ArtifactFiles.zipDirectory(dir, out));
            return manifest;
        } catch (IOException e) {
            throw new CaptionerException(abs + ": cannot write model artifact: " + e.getMessage(), e);
        } finally {
            ArtifactFiles.deleteRecursively(tmp);
        }
    }

    /**
     * Copies an artifact with another recorded decoder precision ({@code decoder.precision} in the
     * manifest): what the command line's {@code convert --precision} does. Every other file is
     * copied byte for byte (the parameters stay float32), so the copy loads anywhere the original
     * does; the target is written atomically, as by {@link #write}.
     *
     * @param artifact the source artifact, a directory or {@code .zip}
     * @param target the new artifact, a directory or a path ending in {@code .zip}; replaced if present
     * @param precision the precision the copy's decoder decodes at by default
     * @return the copy's manifest
     * @throws CaptionerException if the source is not a valid artifact, its decoder does not decode
     *     at that precision, or writing fails
     */
    public static Manifest copyWithPrecision(Path artifact, Path target, Precision precision) {
        Manifest source = ModelArtifact.readManifest(artifact);
        source.decoderConfig().type().requireSupported(precision, artifact);
        Manifest copy = source.withPrecision(precision);
        Path unzipped = null;
        Path tmp = null;
        try {
            Path from = artifact;
            if (!Files.isDirectory(artifact)) {
                unzipped = Files.createTempDirectory("captioner-artifact-");
                ArtifactFiles.unzip(artifact, unzipped);
                from = unzipped;
            }
            Path src = from;
            Path abs = target.toAbsolutePath().normalize();
            if (!ModelArtifact.isZip(abs)) {
                AtomicFiles.writeDirectory(abs, dir -> {
                    copyInto(src, dir, copy);
                    makeReadable(dir);
                });
                return copy;
            }
            Files.createDirectories(abs.getParent());
            tmp = Files.createTempDirectory(abs.getParent(), "." + abs.getFileName() + ".tmp-");
            copyInto(src, tmp, copy);
            makeReadable(tmp);
            Path dir = tmp;
            AtomicFiles.write(abs, out -> ArtifactFiles.zipDirectory(dir, out));
            return copy;
        } catch (IOException e) {
            throw new CaptionerException(target + ": cannot write model artifact: " + e.getMessage(), e);
        } finally {
            ArtifactFiles.deleteRecursively(unzipped);
            ArtifactFiles.deleteRecursively(tmp);
        }
    }

    private static void copyInto(Path from, Path dir, Manifest manifest) throws IOException {
        try (java.util.stream.Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                if (Files.isRegularFile(f) && !f.getFileName().toString().equals(Manifest.FILE_NAME)) {
                    Files.copy(f, dir.resolve(f.getFileName().toString()));
                }
            }
        }
        Files.writeString(dir.resolve(Manifest.FILE_NAME), manifest.toJson(), StandardCharsets.UTF_8);
    }

    private Manifest writeInto(Path dir) throws IOException {
        b.vocabulary.save(dir.resolve(VOCABULARY_FILE));
        FileRef vocab = embedded(dir, VOCABULARY_FILE);
        if (b.decoderFile != null) {
            Files.copy(b.decoderFile, dir.resolve(DECODER_FILE));
        } else {
            b.decoder.save(dir.resolve(DECODER_FILE));
        }
        FileRef decoder = embedded(dir, DECODER_FILE);

        EncoderSpec spec = b.spec;
        boolean small = spec.kind() == EncoderKind.SMALL_CNN;
        FileRef encoderParams = null;
        if (b.encoderParametersFile != null) {
            Files.copy(b.encoderParametersFile, dir.resolve(ENCODER_FILE));
            encoderParams = embedded(dir, ENCODER_FILE);
        } else if (small || b.saveEncoderParameters) {
            b.encoder.toParameterFile().write(dir.resolve(ENCODER_FILE));
            encoderParams = embedded(dir, ENCODER_FILE);
        }
        FileRef base = null;
        if (!small) {
            Path weights = spec.baseWeights().toAbsolutePath().normalize();
            if (!Files.isRegularFile(weights)) {
                throw new CaptionerException(weights + ": encoder base weights not found");
            }
            if (b.embedBaseWeights) {
                Files.copy(weights, dir.resolve(BASE_WEIGHTS_FILE));
                base = embedded(dir, BASE_WEIGHTS_FILE);
            } else {
                base = new FileRef(weights.toString(), Digests.sha256(weights), Files.size(weights), false);
            }
        }
        Manifest manifest = new Manifest(Manifest.FORMAT_VERSION, Versions.sdk(), Versions.djl(), Versions.pytorch(),
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), spec, encoderParams, base,
                b.decoderConfig, decoder, b.vocabulary.size(), vocab, b.options, b.provenance, b.precision);
        Files.writeString(dir.resolve(Manifest.FILE_NAME), manifest.toJson(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(SERVING_PROPERTIES), String.join("\n",
                "# Lets DJL's Criteria load this captioner artifact (see io.captioner.models.djl).",
                "engine=PyTorch",
                "blockFactory=io.captioner.models.djl.CaptionerBlockFactory",
                "translatorFactory=io.captioner.models.djl.CaptionTranslatorFactory",
                "option.hasParameter=false",
                ""), StandardCharsets.UTF_8);
        return manifest;
    }

    /** Temporary directories and files are private (700/600); a saved model is world-readable. */
    private static void makeReadable(Path dir) throws IOException {
        if (!Files.getFileStore(dir).supportsFileAttributeView(java.nio.file.attribute.PosixFileAttributeView.class)) {
            return;
        }
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            }
        }
    }

    private static FileRef embedded(Path dir, String name) throws IOException {
        Path f = dir.resolve(name);
        return new FileRef(name, Digests.sha256(f), Files.size(f), true);
    }

    /** Collects what an artifact holds; setters may be called in any order. */
    public static final class Builder {
        private BlockEncoder encoder;
        private EncoderSpec spec;
        private SavableDecoder decoder;
        private Path decoderFile;
        private DecoderSpec decoderConfig;
        private Path encoderParametersFile;
        private Vocabulary vocabulary;
        private DecodingOptions options = DecodingOptions.defaults();
        private Provenance provenance = Provenance.UNKNOWN;
        private boolean embedBaseWeights;
        private boolean saveEncoderParameters;
        private Precision precision = Precision.FP32;

        private Builder() {}

        /**
         * Sets the encoder and how to rebuild it (required); its current parameters are saved.
         *
         * @param encoder the encoder
         * @param spec its description, e.g. {@link EncoderSpec#smallCnn(BlockEncoder)} or
         *     {@link EncoderSpec#torchvision}
         * @return this builder
         */
        public Builder setEncoder(BlockEncoder encoder, EncoderSpec spec) {
            this.encoder = encoder;
            this.spec = spec;
            return this;
        }

        /**
         * Sets the decoder (required); its current parameters are saved.
         *
         * @param decoder the decoder, of any {@link DecoderType}, e.g. {@code
         *     LstmCaptionDecoder.load(file)}
         * @return this builder
         */
        public Builder setDecoder(SavableDecoder decoder) {
            this.decoder = decoder;
            this.decoderFile = null;
            return this;
        }

        /**
         * Sets the decoder from a file saved by {@link SavableDecoder#save} (for example the
         * trainer's {@code TrainingResult.bestDecoder()}), of any {@link DecoderType}; the file is
         * validated and copied, no model is created. Replaces {@link #setDecoder(SavableDecoder)}.
         *
         * @param file the decoder file
         * @return this builder
         */
        public Builder setDecoder(Path file) {
            this.decoderFile = file;
            this.decoder = null;
            return this;
        }

        /**
         * Saves these encoder parameters instead of the encoder's current ones: a captioner array
         * file of kind {@value BlockEncoder#PARAMETER_FILE_KIND} such as the trainer's
         * {@code TrainingResult.bestEncoder()}. Null means none (the default).
         *
         * @param file the parameter file, or null
         * @return this builder
         */
        public Builder optEncoderParameters(Path file) {
            this.encoderParametersFile = file;
            return this;
        }

        /**
         * Sets the vocabulary (required).
         *
         * @param vocabulary the vocabulary the decoder was trained with
         * @return this builder
         */
        public Builder setVocabulary(Vocabulary vocabulary) {
            this.vocabulary = vocabulary;
            return this;
        }

        /**
         * Sets the decoding options a loaded captioner uses by default (default: greedy, 20 tokens).
         *
         * @param options the options
         * @return this builder
         */
        public Builder optDecodingOptions(DecodingOptions options) {
            this.options = options;
            return this;
        }

        /**
         * Sets the training provenance (default {@link Provenance#UNKNOWN}).
         *
         * @param provenance the provenance
         * @return this builder
         */
        public Builder optProvenance(Provenance provenance) {
            this.provenance = provenance;
            return this;
        }

        /**
         * Copies torchvision {@code .npz} weights into the artifact instead of referencing them by
         * absolute path and SHA-256 (default false: VGG-16's weights are about 530 MB).
         *
         * @param embed whether to embed
         * @return this builder
         */
        public Builder optEmbedBaseWeights(boolean embed) {
            this.embedBaseWeights = embed;
            return this;
        }

        /**
         * Saves a torchvision encoder's current parameters too, for a fine-tuned encoder (the small
         * CNN's are always saved). Default false.
         *
         * @param save whether to save them
         * @return this builder
         */
        public Builder optSaveEncoderParameters(boolean save) {
            this.saveEncoderParameters = save;
            return this;
        }

        /**
         * Sets the precision the saved decoder decodes at when the artifact is loaded (default
         * {@link Precision#FP32}); the parameter file holds float32 either way, and a loader may
         * choose another precision.
         *
         * @param precision the number format of the decoder's step weights
         * @return this builder
         */
        public Builder optPrecision(Precision precision) {
            this.precision = precision;
            return this;
        }

        /**
         * Validates the parts.
         *
         * @return the writer
         * @throws IllegalArgumentException if a part is missing or the sizes disagree
         */
        public ArtifactWriter build() {
            if (encoder == null || spec == null) {
                throw new IllegalArgumentException("encoder and its spec are required: call setEncoder");
            }
            if (decoder == null && decoderFile == null) {
                throw new IllegalArgumentException("decoder is required: call setDecoder");
            }
            if (decoderFile != null) {
                decoderConfig = DecoderType.ofFile(decoderFile).readSpec(decoderFile);
            } else {
                decoderConfig = decoder.config();
            }
            if (encoderParametersFile != null) {
                checkEncoderParameters(ParameterFile.read(encoderParametersFile, BlockEncoder.PARAMETER_FILE_KIND));
            }
            if (vocabulary == null) {
                throw new IllegalArgumentException("vocabulary is required: call setVocabulary");
            }
            if (options == null || provenance == null || precision == null) {
                throw new IllegalArgumentException("decoding options, provenance and precision must not be null");
            }
            if (!decoderConfig.type().precisions().contains(precision)) {
                throw new IllegalArgumentException("the " + decoderConfig.type() + " decoder decodes at precision "
                        + decoderConfig.type().precisions() + " only, not " + precision);
            }
            if (encoder.kind().orElse(null) != spec.kind() || spec.featureSize() != encoder.vectorSize()
                    || spec.spatial() != encoder.options().spatial()
                    || spec.spatialSize() != encoder.options().spatialSize()) {
                throw new IllegalArgumentException("encoder spec " + spec.kind() + " (D=" + spec.featureSize()
                        + (spec.spatial() ? ", spatial" : "") + ") does not describe encoder " + encoder.name()
                        + " (D=" + encoder.vectorSize() + (encoder.options().spatial() ? ", spatial" : "") + ")");
            }
            if (!java.util.Arrays.equals(decoderConfig.featureShape(), encoder.featureShape())) {
                throw new IllegalArgumentException("decoder expects features of shape "
                        + java.util.Arrays.toString(decoderConfig.featureShape()) + " but the encoder gives "
                        + java.util.Arrays.toString(encoder.featureShape()));
            }
            if (decoderConfig.vocabularySize() != vocabulary.size()) {
                throw new IllegalArgumentException("decoder scores " + decoderConfig.vocabularySize()
                        + " tokens but the vocabulary has " + vocabulary.size());
            }
            return new ArtifactWriter(this);
        }

        private void checkEncoderParameters(ParameterFile pf) {
            for (ai.djl.util.Pair<String, ai.djl.nn.Parameter> p : encoder.block().getParameters()) {
                ParameterFile.Tensor t = pf.arrays().get(p.getKey());
                ai.djl.ndarray.types.Shape want = p.getValue().getArray().getShape();
                if (t == null || !t.shape().equals(want)) {
                    throw new CaptionerException(encoderParametersFile + ": parameter " + p.getKey() + " must have shape "
                            + want + " to fit encoder " + encoder.name() + ", found "
                            + (t == null ? "none" : t.shape().toString()));
                }
            }
        }
    }
}
