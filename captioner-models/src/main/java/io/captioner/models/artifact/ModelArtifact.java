package io.captioner.models.artifact;

import io.captioner.CaptionerException;
import io.captioner.io.Digests;
import io.captioner.models.DjlCaptioner;
import io.captioner.CaptionDecoder;
import io.captioner.models.decoder.AttentionDecoderConfig;
import io.captioner.models.decoder.DecoderConfig;
import io.captioner.models.decoder.DecoderSpec;
import io.captioner.models.decoder.DecoderType;
import io.captioner.models.internal.ParameterFile;
import io.captioner.models.encoder.BlockEncoder;
import io.captioner.models.encoder.EncoderKind;
import io.captioner.models.encoder.EncoderOptions;
import io.captioner.models.encoder.Encoders;
import io.captioner.models.encoder.TorchvisionArch;
import io.captioner.models.image.Preprocessing;
import io.captioner.text.Vocabulary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens model artifacts written by {@link ArtifactWriter}: a directory or a {@code .zip} holding
 * {@code manifest.json} (see {@link Manifest}).
 *
 * <p>Loading checks, and reports as {@link CaptionerException} naming the artifact, the file and
 * the problem: a missing artifact, manifest or listed file; malformed JSON or a missing/invalid
 * field; a format version newer than this build reads; a SHA-256 that does not match a file (a
 * corrupt or swapped file, including referenced torchvision weights); a vocabulary whose size
 * differs from the decoder's; a decoder file whose architecture differs from the manifest or whose
 * parameters have the wrong shape; an encoder whose feature size differs from the decoder's. A
 * different DJL or PyTorch version than the writer's is only logged.
 *
 * <p>A zip is unpacked into a temporary directory that is deleted once the model is in memory;
 * what is unpacked is decided from the sizes the zip and the manifest declare before anything is
 * inflated (see {@code ArtifactFiles.unzip}), so a zip bomb or an entry escaping the directory is
 * refused within moments. Sizes in the manifest are checked against the parameter files' lengths
 * before the engine allocates the networks.
 * Loading initialises the networks before overwriting their parameters, which reseeds the PyTorch
 * engine's random generator (caption sampling uses its own seeded Java generator and is not
 * affected).
 */
public final class ModelArtifact {

    private static final Logger LOG = LoggerFactory.getLogger(ModelArtifact.class);

    private ModelArtifact() {}

    /**
     * Loads an artifact into a ready captioner with the encoder's default batch size.
     *
     * @param artifact the artifact directory or {@code .zip}
     * @return the captioner; it owns the encoder and decoder, the caller closes it
     * @throws CaptionerException naming what is wrong if the artifact is missing, corrupt or
     *     incompatible
     */
    public static DjlCaptioner load(Path artifact) {
        return load(artifact, EncoderOptions.defaults());
    }

    /**
     * Loads an artifact into a ready captioner.
     *
     * @param artifact the artifact directory or {@code .zip}
     * @param encoderOptions the encoder's batch size (trainability is ignored: inference only)
     * @return the captioner; it owns the encoder and decoder, the caller closes it
     * @throws CaptionerException naming what is wrong if the artifact is missing, corrupt or
     *     incompatible
     */
    public static DjlCaptioner load(Path artifact, EncoderOptions encoderOptions) {
        Path tmp = null;
        try {
            Path dir = artifact;
            if (!Files.exists(artifact)) {
                throw new CaptionerException(artifact + ": model artifact not found");
            }
            if (!Files.isDirectory(artifact)) {
                if (!isZip(artifact)) {
                    throw new CaptionerException(artifact + ": not a model artifact (expected a directory or a .zip)");
                }
                tmp = Files.createTempDirectory("captioner-artifact-");
                ArtifactFiles.unzip(artifact, tmp);
                dir = tmp;
            }
            return loadDirectory(artifact, dir, encoderOptions);
        } catch (IOException e) {
            throw new CaptionerException(artifact + ": cannot open model artifact: " + e.getMessage(), e);
        } finally {
            ArtifactFiles.deleteRecursively(tmp);
        }
    }

    /**
     * Reads and validates an artifact's manifest without loading the model.
     *
     * @param artifact the artifact directory or {@code .zip}
     * @return the manifest
     * @throws CaptionerException if the artifact or its manifest is missing or invalid
     */
    public static Manifest readManifest(Path artifact) {
        if (Files.isDirectory(artifact)) {
            return readManifestIn(artifact, artifact);
        }
        if (!Files.exists(artifact)) {
            throw new CaptionerException(artifact + ": model artifact not found");
        }
        return Manifest.parse(ArtifactFiles.readManifest(artifact), artifact + "/" + Manifest.FILE_NAME);
    }

    static boolean isZip(Path p) {
        return p.getFileName() != null
                && p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip");
    }

    private static Manifest readManifestIn(Path artifact, Path dir) {
        Path file = dir.resolve(Manifest.FILE_NAME);
        String json;
        try {
            long size = Files.size(file);
            if (size > ArtifactFiles.MAX_MANIFEST_BYTES) {
                throw new CaptionerException(artifact + ": " + Manifest.FILE_NAME + " has " + size
                        + " bytes; at most " + ArtifactFiles.MAX_MANIFEST_BYTES + " are accepted");
            }
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new CaptionerException(artifact + ": missing file " + Manifest.FILE_NAME
                    + " (not a captioner model artifact)", e);
        } catch (IOException e) {
            throw new CaptionerException(artifact + ": cannot read " + Manifest.FILE_NAME + ": " + e.getMessage(), e);
        }
        return Manifest.parse(json, artifact + "/" + Manifest.FILE_NAME);
    }

    private static DjlCaptioner loadDirectory(Path artifact, Path dir, EncoderOptions encoderOptions) {
        Manifest m = readManifestIn(artifact, dir);
        if (!Versions.djl().equals(m.djlVersion()) || !Versions.pytorch().equals(m.pytorchVersion())) {
            LOG.warn("{} was written with DJL {} / PyTorch {}; running DJL {} / PyTorch {}", artifact,
                    m.djlVersion(), m.pytorchVersion(), Versions.djl(), Versions.pytorch());
        }
        Path vocabFile = verified(artifact, dir, m.vocabulary(), "vocabulary.file");
        Path decoderFile = verified(artifact, dir, m.decoderParameters(), "decoder.parameters");
        Path encoderFile = m.encoderParameters() == null ? null
                : verified(artifact, dir, m.encoderParameters(), "encoder.parameters");
        Path baseWeights = m.encoderBaseWeights() == null ? null
                : verified(artifact, dir, m.encoderBaseWeights(), "encoder.baseWeights");

        Vocabulary vocabulary = Vocabulary.load(vocabFile);
        if (vocabulary.size() != m.vocabularySize()) {
            throw new CaptionerException(artifact + ": vocabulary " + m.vocabulary().path() + " has "
                    + vocabulary.size() + " tokens but manifest.json vocabulary.size says " + m.vocabularySize());
        }
        if (vocabulary.size() != m.decoderConfig().vocabularySize()) {
            throw new CaptionerException(artifact + ": vocabulary " + m.vocabulary().path() + " has "
                    + vocabulary.size() + " tokens but the decoder scores " + m.decoderConfig().vocabularySize()
                    + " (decoder.config.vocabularySize)");
        }
        int[] decoderShape = m.decoderConfig().featureShape();
        if (!m.encoder().spatial() && (decoderShape.length != 1 || decoderShape[0] != m.encoder().featureSize())) {
            throw new CaptionerException(artifact + ": encoder " + m.encoder().kind() + " gives "
                    + m.encoder().featureSize() + " features but the decoder expects "
                    + Arrays.toString(decoderShape) + " (decoder.config)");
        }
        if (encoderFile != null && m.encoder().kind() == EncoderKind.SMALL_CNN) {
            checkParameterBytes(artifact, encoderFile,
                    leastSmallCnnParameters(m.encoder().baseChannels(), m.encoder().featureSize()), "encoder");
        }
        BlockEncoder encoder = null;
        CaptionDecoder decoder = null;
        try {
            decoder = loadDecoder(artifact, decoderFile, m.decoderConfig());
            encoder = buildEncoder(m, encoderFile, baseWeights, encoderOptions);
            if (!Arrays.equals(encoder.featureShape(), decoder.featureShape())) {
                throw new CaptionerException(artifact + ": encoder " + encoder.name() + " gives features of shape "
                        + Arrays.toString(encoder.featureShape()) + " but the decoder expects "
                        + Arrays.toString(decoder.featureShape()));
            }
            return DjlCaptioner.builder()
                    .setEncoder(encoder)
                    .setDecoder(decoder)
                    .setVocabulary(vocabulary)
                    .optDecodingOptions(m.decoding())
                    .build();
        } catch (RuntimeException e) {
            if (encoder != null) {
                encoder.close();
            }
            if (decoder != null) {
                decoder.close();
            }
            if (e instanceof CaptionerException) {
                throw e;
            }
            throw new CaptionerException(artifact + ": cannot build the model: " + e.getMessage(), e);
        }
    }

    private static CaptionDecoder loadDecoder(Path artifact, Path file, DecoderSpec expected) {
        DecoderType found = DecoderType.ofFile(file);
        if (found != expected.type()) {
            throw new CaptionerException(file + ": holds a decoder of type " + found.id()
                    + " but manifest.json decoder.type says " + expected.type().id());
        }
        // the sizes the file itself claims must fit its length before the engine allocates them;
        // then load() compares them with the manifest's, naming the first field that differs
        checkParameterBytes(artifact, file, leastDecoderParameters(found.readSpec(file)), "decoder.config");
        return found.load(file, expected);
    }

    /**
     * Refuses sizes in the manifest that need more parameters than the file holds, before the
     * engine allocates them: a manifest claiming a hidden size of a million must not make PyTorch
     * allocate terabytes. The counts are lower bounds of the real parameter counts.
     */
    private static void checkParameterBytes(Path artifact, Path file, double leastParameters, String field) {
        long bytes;
        try {
            bytes = Files.size(file);
        } catch (IOException e) {
            throw new CaptionerException(artifact + ": cannot read " + file + ": " + e.getMessage(), e);
        }
        if (leastParameters * Float.BYTES > bytes) {
            throw new CaptionerException(artifact + ": manifest.json " + field + " needs at least "
                    + String.format(Locale.ROOT, "%.0f", leastParameters) + " float parameters, but "
                    + file.getFileName() + " holds only " + bytes + " bytes");
        }
    }

    /** A lower bound of the decoder's parameter count, by its type. */
    private static double leastDecoderParameters(DecoderSpec spec) {
        if (spec instanceof AttentionDecoderConfig a) {
            double v = a.vocabularySize();
            double e = a.embeddingSize();
            double h = a.hiddenSize();
            double d = a.featureChannels();
            // embedding V×E, output H×V, LSTM 4H×(E+D+H), encoder and hidden projections D×A + H×A
            return v * e + h * v + 4 * h * (e + d + h) + a.attentionSize() * (d + h);
        }
        return leastLstmParameters((DecoderConfig) spec);
    }

    /** Embedding V×E, output H×V, recurrent 4H×H per layer, image projection D×min(E, H), merge D×H. */
    private static double leastLstmParameters(DecoderConfig c) {
        double v = c.vocabularySize();
        double e = c.embeddingSize();
        double h = c.hiddenSize();
        double d = c.featureSize();
        return v * e + h * v + 4 * h * h * c.numLayers() + d * Math.min(e, h) + (c.imageMerge() ? d * h : 0);
    }

    /** The 3×3 convolutions c→2c→4c→D of the small CNN, without the first one and batch norms. */
    private static double leastSmallCnnParameters(int baseChannels, int featureSize) {
        double c = baseChannels;
        return 9 * (c * 2 * c + 2 * c * 4 * c + 4 * c * featureSize);
    }

    private static BlockEncoder buildEncoder(Manifest m, Path encoderFile, Path baseWeights, EncoderOptions options) {
        EncoderSpec spec = m.encoder();
        EncoderOptions frozen = spec.options(options);
        BlockEncoder encoder;
        Optional<TorchvisionArch> arch = spec.kind().torchvisionArch();
        if (arch.isPresent()) {
            encoder = Encoders.torchvision(arch.get(), baseWeights, frozen);
        } else {
            encoder = Encoders.smallCnn().optInputSize(spec.inputSize()).optFeatureSize(spec.featureSize())
                    .optBaseChannels(spec.baseChannels()).optEncoderOptions(frozen).build();
            Preprocessing built = encoder.preprocessing();
            if (!built.equals(spec.preprocessing())) {
                LOG.debug("manifest preprocessing {} differs from the small CNN default {}", spec.preprocessing(), built);
            }
        }
        try {
            if (encoderFile != null) {
                encoder.loadParameters(encoderFile);
            }
            return encoder;
        } catch (RuntimeException e) {
            encoder.close();
            throw e;
        }
    }

    private static Path verified(Path artifact, Path dir, FileRef ref, String field) {
        Path file;
        if (ref.embedded()) {
            file = dir.resolve(ref.path()).normalize();
            if (!file.startsWith(dir.normalize())) {
                throw new CaptionerException(artifact + ": manifest.json " + field + ".path '" + ref.path()
                        + "' points outside the artifact");
            }
        } else {
            Path p = Path.of(ref.path());
            Path base = artifact.toAbsolutePath().getParent();
            file = p.isAbsolute() || base == null ? p : base.resolve(p);
        }
        if (!Files.isRegularFile(file)) {
            throw new CaptionerException(artifact + ": missing file " + (ref.embedded() ? ref.path() : file)
                    + " (listed in manifest.json as " + field + ")");
        }
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new CaptionerException(artifact + ": cannot read " + ref.path() + ": " + e.getMessage(), e);
        }
        if (size != ref.bytes()) {
            // Checked before hashing, so a swapped multi-gigabyte file is refused at once.
            throw new CaptionerException(artifact + ": " + ref.path() + " has " + size + " bytes but manifest.json "
                    + field + ".bytes says " + ref.bytes() + ": the file is corrupt or was replaced");
        }
        String found = Digests.sha256(file);
        if (!found.equals(ref.sha256())) {
            throw new CaptionerException(artifact + ": " + ref.path() + " does not match its SHA-256 in manifest.json "
                    + field + " (expected " + ref.sha256() + ", found " + found + "): the file is corrupt or was replaced");
        }
        return file;
    }
}
