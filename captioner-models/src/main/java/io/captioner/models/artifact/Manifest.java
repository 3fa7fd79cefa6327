package io.captioner.models.artifact;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import io.captioner.CaptionerException;
import io.captioner.DecodingOptions;
import io.captioner.models.decoder.DecoderConfig;
import io.captioner.models.decoder.DecoderSpec;
import io.captioner.models.decoder.DecoderType;
import io.captioner.models.decoder.ImageInjection;
import io.captioner.models.encoder.EncoderKind;
import io.captioner.models.image.Preprocessing;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The content of an artifact's {@code manifest.json}: versions, how to rebuild the encoder and
 * decoder, the files holding their parameters and the vocabulary (each with its SHA-256), the
 * default decoding options and the training provenance.
 *
 * <h2>JSON layout (format version 1)</h2>
 *
 * <pre>{@code
 * { "format": "captioner-model", "formatVersion": 1,
 *   "sdkVersion": "0.1.0", "djlVersion": "0.36.0", "pytorchVersion": "2.7.1", "created": "<ISO-8601>",
 *   "encoder": { "architecture": "small-cnn" | "vgg16" | "resnet50", "featureSize": D,
 *                "inputSize": S, "baseChannels": C,                    (small-cnn only)
 *                "preprocessing": { "resize": R, "crop": S, "mean": [r,g,b], "std": [r,g,b] },
 *                "parameters": FILE | null,    (captioner array file of kind encoder-parameters)
 *                "baseWeights": FILE | null,   (torchvision .npz, embedded or referenced)
 *                "output": { "spatial": true, "side": S } },   (absent: the feature vector)
 *   "decoder": { "type": "show-and-tell-lstm" | "show-attend-tell", "config": { the fields of the
 *                decoder's spec record, e.g. vocabularySize, featureSize, embeddingSize, hiddenSize,
 *                numLayers, dropout, imageInjection, imageMerge },
 *                "parameters": FILE },                  (imageMerge absent: false)
 *   "vocabulary": { "size": V, "file": FILE },      (core Vocabulary text format)
 *   "decoding": { the fields of DecodingOptions },
 *   "training": { "dataset", "trainImages", "devImages", "testImages", "epochs",
 *                 "datasetSha256", "seed", "trainingConfig": { ... },   (optional)
 *                 "validationMetrics": { name: value } } }
 * FILE = { "path": "decoder.params", "sha256": "<64 hex>", "bytes": N, "embedded": true }
 * }</pre>
 *
 * <p>Readers refuse a newer {@code formatVersion} than {@link #FORMAT_VERSION}; unknown extra
 * fields are ignored, so later minor additions stay loadable.
 *
 * @param formatVersion the manifest format version
 * @param sdkVersion the captioner version that wrote the artifact
 * @param djlVersion the DJL version that wrote it
 * @param pytorchVersion the PyTorch version that wrote it
 * @param created when it was written (ISO-8601 instant)
 * @param encoder how to rebuild the encoder ({@link EncoderSpec#baseWeights()} unused here)
 * @param encoderParameters the encoder's parameter file, or null (torchvision weights used as is)
 * @param encoderBaseWeights the torchvision {@code .npz}, or null for the small CNN
 * @param decoderConfig the decoder's architecture
 * @param decoderParameters the decoder's parameter file
 * @param vocabularySize V, the number of tokens in the vocabulary
 * @param vocabulary the vocabulary file
 * @param decoding the default decoding options
 * @param training where the model came from
 */
public record Manifest(int formatVersion, String sdkVersion, String djlVersion, String pytorchVersion,
        String created, EncoderSpec encoder, FileRef encoderParameters, FileRef encoderBaseWeights,
        DecoderSpec decoderConfig, FileRef decoderParameters, int vocabularySize, FileRef vocabulary,
        DecodingOptions decoding, Provenance training) {

    /** The manifest's file name inside an artifact. */
    public static final String FILE_NAME = "manifest.json";
    /** The value of the {@code format} field. */
    public static final String FORMAT = "captioner-model";
    /** The newest format version this build reads and the one it writes. */
    public static final int FORMAT_VERSION = 1;

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping()
            .serializeNulls().create();

    /**
     * Checks that the required parts are present.
     *
     * @param formatVersion see the record description
     * @param sdkVersion see the record description
     * @param djlVersion see the record description
     * @param pytorchVersion see the record description
     * @param created see the record description
     * @param encoder see the record description
     * @param encoderParameters see the record description
     * @param encoderBaseWeights see the record description
     * @param decoderConfig see the record description
     * @param decoderParameters see the record description
     * @param vocabularySize see the record description
     * @param vocabulary see the record description
     * @param decoding see the record description
     * @param training see the record description
     */
    public Manifest {
        Objects.requireNonNull(encoder, "encoder");
        Objects.requireNonNull(decoderConfig, "decoderConfig");
        Objects.requireNonNull(decoderParameters, "decoderParameters");
        Objects.requireNonNull(vocabulary, "vocabulary");
        Objects.requireNonNull(decoding, "decoding");
        Objects.requireNonNull(training, "training");
    }

    /**
     * Serialises the manifest as pretty-printed JSON.
     *
     * @return the JSON text
     */
    public String toJson() {
        JsonObject root = new JsonObject();
        root.addProperty("format", FORMAT);
        root.addProperty("formatVersion", formatVersion);
        root.addProperty("sdkVersion", sdkVersion);
        root.addProperty("djlVersion", djlVersion);
        root.addProperty("pytorchVersion", pytorchVersion);
        root.addProperty("created", created);

        JsonObject enc = new JsonObject();
        enc.addProperty("architecture", encoder.kind().id());
        enc.addProperty("featureSize", encoder.featureSize());
        if (encoder.kind() == EncoderKind.SMALL_CNN) {
            enc.addProperty("inputSize", encoder.inputSize());
            enc.addProperty("baseChannels", encoder.baseChannels());
        }
        JsonObject pre = new JsonObject();
        Preprocessing p = encoder.preprocessing();
        pre.addProperty("resize", p.resize());
        pre.addProperty("crop", p.crop());
        pre.add("mean", floats(p.mean()));
        pre.add("std", floats(p.std()));
        enc.add("preprocessing", pre);
        if (encoder.spatial()) {
            JsonObject out = new JsonObject();
            out.addProperty("spatial", true);
            out.addProperty("side", encoder.spatialSize());
            enc.add("output", out);
        }
        enc.add("parameters", file(encoderParameters));
        enc.add("baseWeights", file(encoderBaseWeights));
        root.add("encoder", enc);

        JsonObject dec = new JsonObject();
        dec.addProperty("type", decoderConfig.type().id());
        dec.add("config", GSON.toJsonTree(decoderConfig));
        dec.add("parameters", file(decoderParameters));
        root.add("decoder", dec);

        JsonObject voc = new JsonObject();
        voc.addProperty("size", vocabularySize);
        voc.add("file", file(vocabulary));
        root.add("vocabulary", voc);

        JsonObject dec0 = GSON.toJsonTree(decoding).getAsJsonObject();
        if (!decoding.attention()) {
            // absent means off, so artifacts that never ask for attention keep their version-1 form
            dec0.remove("attention");
        }
        root.add("decoding", dec0);

        JsonObject tr = new JsonObject();
        tr.addProperty("dataset", training.dataset());
        tr.addProperty("trainImages", training.trainImages());
        tr.addProperty("devImages", training.devImages());
        tr.addProperty("testImages", training.testImages());
        tr.addProperty("epochs", training.epochs());
        if (training.datasetSha256() != null) {
            tr.addProperty("datasetSha256", training.datasetSha256());
        }
        if (training.seed() != null) {
            tr.addProperty("seed", training.seed());
        }
        if (training.trainingConfig() != null) {
            tr.add("trainingConfig", training.trainingConfig());
        }
        JsonObject metrics = new JsonObject();
        training.validationMetrics().forEach(metrics::addProperty);
        tr.add("validationMetrics", metrics);
        root.add("training", tr);
        return GSON.toJson(root) + "\n";
    }

    private static JsonArray floats(float[] values) {
        JsonArray a = new JsonArray();
        for (float v : values) {
            a.add(v);
        }
        return a;
    }

    private static JsonElement file(FileRef ref) {
        return ref == null ? com.google.gson.JsonNull.INSTANCE : GSON.toJsonTree(ref);
    }

    /**
     * Parses a manifest, checking every field.
     *
     * @param json the JSON text
     * @param source the file name used in error messages
     * @return the manifest
     * @throws CaptionerException naming the source and field if the JSON is malformed, a field is
     *     missing or invalid, or the format version is newer than {@link #FORMAT_VERSION}
     */
    public static Manifest parse(String json, String source) {
        JsonObject root;
        try {
            JsonElement e = JsonParser.parseString(json);
            if (!e.isJsonObject()) {
                throw new CaptionerException(source + ": malformed JSON: expected an object, found "
                        + abbreviate(e.toString()));
            }
            root = e.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new CaptionerException(source + ": malformed JSON: " + e.getMessage(), e);
        }
        Fields f = new Fields(source);
        String format = f.string(root, "format");
        if (!FORMAT.equals(format)) {
            throw new CaptionerException(source + ": field format must be \"" + FORMAT + "\", found \"" + format + "\"");
        }
        int version = f.integer(root, "formatVersion");
        if (version > FORMAT_VERSION) {
            throw new CaptionerException(source + ": formatVersion " + version + " is newer than this SDK reads ("
                    + FORMAT_VERSION + "); the artifact was written by captioner "
                    + optString(root, "sdkVersion", source)
                    + ", upgrade captioner to load it");
        }
        if (version < 1) {
            throw new CaptionerException(source + ": formatVersion must be at least 1, found " + version);
        }
        try {
            JsonObject enc = f.object(root, "encoder");
            String arch = f.string(enc, "encoder.architecture");
            EncoderKind kind;
            try {
                kind = EncoderKind.parse(arch);
            } catch (IllegalArgumentException e) {
                throw new CaptionerException(source + ": field encoder.architecture: " + e.getMessage(), e);
            }
            int featureSize = f.integer(enc, "encoder.featureSize");
            boolean small = kind == EncoderKind.SMALL_CNN;
            JsonObject pre = f.object(enc, "encoder.preprocessing");
            Preprocessing preprocessing = new Preprocessing(f.integer(pre, "encoder.preprocessing.resize"),
                    f.integer(pre, "encoder.preprocessing.crop"), f.floats(pre, "encoder.preprocessing.mean"),
                    f.floats(pre, "encoder.preprocessing.std"));
            FileRef encParams = f.optFile(enc, "encoder.parameters");
            FileRef baseWeights = f.optFile(enc, "encoder.baseWeights");
            if (!small && baseWeights == null) {
                throw new CaptionerException(source + ": field encoder.baseWeights is required for " + kind);
            }
            if (small && encParams == null) {
                throw new CaptionerException(source + ": field encoder.parameters is required for " + kind);
            }
            boolean spatial = false;
            int side = 0;
            if (enc.has("output")) {
                JsonObject out = f.object(enc, "encoder.output");
                spatial = f.optBoolean(out, "encoder.output.spatial", false);
                side = spatial ? f.integer(out, "encoder.output.side") : 0;
            }
            EncoderSpec spec;
            try {
                spec = new EncoderSpec(kind, featureSize, small ? f.integer(enc, "encoder.inputSize") : 0,
                        small ? f.integer(enc, "encoder.baseChannels") : 0, preprocessing,
                        small ? null : java.nio.file.Path.of(baseWeights.path()), spatial, side);
            } catch (IllegalArgumentException e) {
                throw new CaptionerException(source + ": invalid encoder: " + e.getMessage(), e);
            }

            JsonObject dec = f.object(root, "decoder");
            String type = f.string(dec, "decoder.type");
            DecoderType decoderType;
            try {
                decoderType = DecoderType.of(type);
            } catch (IllegalArgumentException e) {
                throw new CaptionerException(source + ": field decoder.type: " + e.getMessage(), e);
            }
            JsonObject cfg = f.object(dec, "decoder.config");
            DecoderSpec config = decoderType == DecoderType.SHOW_AND_TELL ? DecoderConfig.builder()
                    .setVocabularySize(f.integer(cfg, "decoder.config.vocabularySize"))
                    .setFeatureSize(f.integer(cfg, "decoder.config.featureSize"))
                    .optEmbeddingSize(f.integer(cfg, "decoder.config.embeddingSize"))
                    .optHiddenSize(f.integer(cfg, "decoder.config.hiddenSize"))
                    .optNumLayers(f.integer(cfg, "decoder.config.numLayers"))
                    .optDropout(f.number(cfg, "decoder.config.dropout"))
                    .optImageInjection(f.enumValue(cfg, "decoder.config.imageInjection", ImageInjection.class))
                    .optImageMerge(f.optBoolean(cfg, "decoder.config.imageMerge", false))
                    .build()
                    : GSON.fromJson(cfg, decoderType.specType());
            if (config == null) {
                throw new CaptionerException(source + ": field decoder.config is empty");
            }
            FileRef decParams = f.file(dec, "decoder.parameters");

            JsonObject voc = f.object(root, "vocabulary");
            int vocabSize = f.integer(voc, "vocabulary.size");
            FileRef vocabFile = f.file(voc, "vocabulary.file");

            DecodingOptions decoding = decodingOptions(f.object(root, "decoding"), source);

            JsonObject tr = f.object(root, "training");
            Map<String, Double> metrics = new LinkedHashMap<>();
            JsonObject m = f.object(tr, "training.validationMetrics");
            for (String k : m.keySet()) {
                metrics.put(k, f.number(m, "training.validationMetrics." + k));
            }
            String digest = tr.has("datasetSha256") ? f.string(tr, "training.datasetSha256") : null;
            Long seed = null;
            if (tr.has("seed")) {
                JsonElement e = tr.get("seed");
                if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
                    throw new IllegalArgumentException("field training.seed must be an integer, found " + e);
                }
                seed = e.getAsJsonPrimitive().getAsBigDecimal().longValueExact();
            }
            JsonObject trainingConfig = tr.has("trainingConfig") ? f.object(tr, "training.trainingConfig") : null;
            Provenance training = new Provenance(f.string(tr, "training.dataset"), digest,
                    f.integer(tr, "training.trainImages"), f.integer(tr, "training.devImages"),
                    f.integer(tr, "training.testImages"), f.integer(tr, "training.epochs"), seed, trainingConfig,
                    metrics);

            return new Manifest(version, optString(root, "sdkVersion", source),
                    optString(root, "djlVersion", source), optString(root, "pytorchVersion", source),
                    optString(root, "created", source), spec, encParams, baseWeights,
                    config, decParams, vocabSize, vocabFile, decoding, training);
        } catch (IllegalArgumentException | ArithmeticException | JsonParseException | NullPointerException e) {
            throw new CaptionerException(source + ": invalid manifest: " + e.getMessage(), e);
        }
    }

    private static String optString(JsonObject o, String key, String source) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            return "unknown";
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new CaptionerException(source + ": field " + key + " must be a string, found "
                    + abbreviate(e.toString()));
        }
        return e.getAsString();
    }

    private static DecodingOptions decodingOptions(JsonObject json, String source) {
        try {
            DecodingOptions options = GSON.fromJson(json, DecodingOptions.class);
            if (options == null) {
                throw new CaptionerException(source + ": field decoding is empty");
            }
            return options;
        } catch (CaptionerException e) {
            throw e;
        } catch (RuntimeException e) {
            // Gson reports a record whose constructor refused a value as a plain RuntimeException.
            throw new CaptionerException(source + ": field decoding: invalid decoding options: " + e.getMessage(), e);
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }

    /** Reads fields and names the path of the field in every error. */
    private record Fields(String source) {

        /** The field at the last segment of {@code path}, or null when absent or JSON null. */
        private static JsonElement lookup(JsonObject o, String path) {
            JsonElement e = o.get(path.substring(path.lastIndexOf('.') + 1));
            return e == null || e.isJsonNull() ? null : e;
        }

        private JsonElement get(JsonObject o, String path) {
            JsonElement e = lookup(o, path);
            if (e == null) {
                throw new CaptionerException(source + ": field " + path + " is missing");
            }
            return e;
        }

        private CaptionerException wrong(String path, String expected, JsonElement found) {
            return new CaptionerException(source + ": field " + path + " must be " + expected + ", found "
                    + abbreviate(found.toString()));
        }

        JsonObject object(JsonObject o, String path) {
            JsonElement e = get(o, path);
            if (!e.isJsonObject()) {
                throw wrong(path, "an object", e);
            }
            return e.getAsJsonObject();
        }

        String string(JsonObject o, String path) {
            JsonElement e = get(o, path);
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
                throw wrong(path, "a string", e);
            }
            return e.getAsString();
        }

        double number(JsonObject o, String path) {
            JsonElement e = get(o, path);
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
                throw wrong(path, "a number", e);
            }
            return e.getAsDouble();
        }

        int integer(JsonObject o, String path) {
            JsonElement e = get(o, path);
            if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
                double d = e.getAsDouble();
                if (d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE) {
                    return (int) d;
                }
            }
            throw wrong(path, "an integer", e);
        }

        long longInteger(JsonObject o, String path) {
            JsonElement e = get(o, path);
            if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
                double d = e.getAsDouble();
                if (d == Math.rint(d) && Math.abs(d) <= (double) (1L << 53)) {
                    return (long) d;
                }
            }
            throw wrong(path, "an integer", e);
        }

        float[] floats(JsonObject o, String path) {
            JsonElement e = get(o, path);
            if (!e.isJsonArray()) {
                throw wrong(path, "an array of numbers", e);
            }
            JsonArray a = e.getAsJsonArray();
            float[] out = new float[a.size()];
            for (int i = 0; i < out.length; i++) {
                JsonElement x = a.get(i);
                if (!(x instanceof JsonPrimitive p) || !p.isNumber()) {
                    throw wrong(path, "an array of numbers", e);
                }
                out[i] = x.getAsFloat();
            }
            return out;
        }

        boolean optBoolean(JsonObject o, String path, boolean absent) {
            JsonElement e = lookup(o, path);
            if (e == null) {
                return absent;
            }
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
                throw wrong(path, "true or false", e);
            }
            return e.getAsBoolean();
        }

        <E extends Enum<E>> E enumValue(JsonObject o, String path, Class<E> type) {
            String s = string(o, path);
            try {
                return Enum.valueOf(type, s);
            } catch (IllegalArgumentException ex) {
                throw new CaptionerException(source + ": field " + path + " must be one of "
                        + java.util.Arrays.toString(type.getEnumConstants()) + ", found \"" + s + "\"");
            }
        }

        FileRef file(JsonObject o, String path) {
            JsonObject fo = object(o, path);
            try {
                return new FileRef(string(fo, path + ".path"), string(fo, path + ".sha256"),
                        longInteger(fo, path + ".bytes"), optBoolean(fo, path + ".embedded", true));
            } catch (IllegalArgumentException e) {
                throw new CaptionerException(source + ": field " + path + ": " + e.getMessage(), e);
            }
        }

        FileRef optFile(JsonObject o, String path) {
            return lookup(o, path) == null ? null : file(o, path);
        }
    }
}
