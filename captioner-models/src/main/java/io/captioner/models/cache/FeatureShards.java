package io.captioner.models.cache;

import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import io.captioner.CaptionerException;
import io.captioner.models.npy.Npy;
import io.captioner.models.npy.NpyArray;
import io.captioner.models.npy.NpyDType;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Image features extracted elsewhere (on a Spark cluster, for example) and stored as {@code .npy}
 * shards with a JSON index each, read back for training without Spark or Hadoop.
 *
 * <p><b>Format.</b> A directory holds any number of shard pairs and a {@value #SUCCESS} marker:
 * <ul>
 *   <li>{@code NAME.npy}: float32, little-endian, C order, shape {@code [n, ...shape]}, row
 *       {@code i} for the index's {@code rows[i]}; {@code shape} is {@code [D]} for pooled
 *       vectors or {@code [H, W, D]} for a spatial map (locations row-major, channels last);</li>
 *   <li>{@code NAME.json}: the shard's index ({@link Shard}): {@code format} ({@value #FORMAT}),
 *       {@code version} ({@value #VERSION}), the {@link CacheKey} fields ({@code encoder},
 *       {@code feature_size}, {@code weights_sha256}, {@code preprocessing}), {@code shape},
 *       {@code dtype} ({@code float32}), {@code data} (the {@code .npy} file's name), {@code rows}
 *       ({@code image_id} and {@code path} per row) and {@code failed} (images that could not be
 *       encoded: {@code image_id}, {@code path}, {@code error});</li>
 *   <li>{@value #SUCCESS}: written when the whole job committed; without it the directory is
 *       refused as incomplete.</li>
 * </ul>
 * Files whose name starts with {@code .} or {@code _} (checksums, the marker, a committer's
 * temporary directory) are not shards. Every shard must carry the same key and shape, and an image
 * id may appear in one row only. {@link FeatureShardWriter} writes one shard.
 *
 * <p>An open instance holds the indexes in memory and reads {@code .npy} files only in
 * {@link #rows}; it is immutable and thread-safe.
 */
public final class FeatureShards {

    /** The {@code format} value of every shard index. */
    public static final String FORMAT = "captioner-feature-shards";
    /** The format version this build writes and the newest it reads. */
    public static final int VERSION = 1;
    /** The marker file a committed job leaves in the directory. */
    public static final String SUCCESS = "_SUCCESS";
    /** The suffix of a shard's data file. */
    public static final String DATA_SUFFIX = ".npy";
    /** The suffix of a shard's index file. */
    public static final String INDEX_SUFFIX = ".json";
    /** The {@code dtype} of every shard. */
    public static final String DTYPE = "float32";

    static final Gson GSON = new GsonBuilder().setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES)
            .disableHtmlEscaping().create();

    private final Path dir;
    private final CacheKey key;
    private final int[] shape;
    private final List<Path> dataFiles;
    private final List<Integer> shardRows;
    private final List<String> ids;
    private final Map<String, Location> locations;
    private final List<Failure> failures;

    private record Location(int shard, int row, String path) {}

    private FeatureShards(Path dir, CacheKey key, int[] shape, List<Path> dataFiles, List<Integer> shardRows,
            List<String> ids, Map<String, Location> locations, List<Failure> failures) {
        this.dir = dir;
        this.key = key;
        this.shape = shape;
        this.dataFiles = dataFiles;
        this.shardRows = shardRows;
        this.ids = ids;
        this.locations = locations;
        this.failures = failures;
    }

    /**
     * One image that could not be encoded.
     *
     * @param imageId the image's id (its file name)
     * @param path where the image was read from
     * @param error why it failed
     */
    public record Failure(String imageId, String path, String error) {}

    /**
     * One row of a shard: which image it holds.
     *
     * @param imageId the image's id (its file name)
     * @param path where the image was read from (any URI the writer saw)
     */
    public record Row(String imageId, String path) {}

    /**
     * One shard's index, as stored in its {@code .json} file.
     *
     * @param format always {@value FeatureShards#FORMAT}
     * @param version the format version, at most {@value FeatureShards#VERSION}
     * @param encoder the encoder's name ({@link CacheKey#encoder()})
     * @param featureSize D, the channels of a row ({@link CacheKey#featureSize()})
     * @param weightsSha256 the weights' SHA-256 ({@link CacheKey#weightsSha256()})
     * @param preprocessing the preprocessing ({@link CacheKey#preprocessing()})
     * @param shape one row's shape: {@code [D]} or {@code [H, W, D]}
     * @param dtype always {@value FeatureShards#DTYPE}
     * @param data the file name of the shard's {@code .npy}, in the same directory
     * @param rows the images of the data file's rows, in row order
     * @param failed images of this shard that could not be encoded
     */
    public record Shard(String format, int version, String encoder, int featureSize, String weightsSha256,
            String preprocessing, int[] shape, String dtype, String data, List<Row> rows, List<Failure> failed) {

        /**
         * Copies the lists and the shape.
         *
         * @param format see the record description
         * @param version see the record description
         * @param encoder see the record description
         * @param featureSize see the record description
         * @param weightsSha256 see the record description
         * @param preprocessing see the record description
         * @param shape see the record description
         * @param dtype see the record description
         * @param data see the record description
         * @param rows see the record description
         * @param failed see the record description
         */
        public Shard {
            shape = shape == null ? null : shape.clone();
            rows = rows == null ? List.of() : List.copyOf(rows);
            failed = failed == null ? List.of() : List.copyOf(failed);
        }

        /**
         * Returns a copy of one row's shape.
         *
         * @return {@code [D]} or {@code [H, W, D]}
         */
        @Override
        public int[] shape() {
            return shape.clone();
        }

        /**
         * Returns the key the shard's features were computed with.
         *
         * @return the key
         */
        public CacheKey key() {
            return new CacheKey(encoder, featureSize, weightsSha256, preprocessing);
        }

        /**
         * Parses and validates a shard index.
         *
         * @param in the index's bytes (UTF-8 JSON); not closed
         * @param name the file name used in error messages
         * @return the index
         * @throws CaptionerException naming the file and the field if the JSON is malformed, of
         *     another format or a newer version, or a field is missing or invalid
         */
        public static Shard read(InputStream in, String name) {
            Shard s;
            try {
                Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8);
                s = GSON.fromJson(reader, Shard.class);
            } catch (JsonParseException e) {
                throw new CaptionerException(name + ": not a feature shard index (malformed JSON: "
                        + e.getMessage() + ")", e);
            }
            if (s == null) {
                throw new CaptionerException(name + ": not a feature shard index (empty file)");
            }
            s.validate(name);
            return s;
        }

        /**
         * Serialises the index as one line of JSON.
         *
         * @return the JSON text
         */
        public String toJson() {
            return GSON.toJson(this);
        }

        private void validate(String name) {
            if (!FORMAT.equals(format)) {
                throw new CaptionerException(name + ": field 'format' must be '" + FORMAT + "', found "
                        + (format == null ? "none" : "'" + format + "'"));
            }
            if (version < 1 || version > VERSION) {
                throw new CaptionerException(name + ": format version " + version + " is not supported (this build"
                        + " reads 1 to " + VERSION + ")");
            }
            if (!DTYPE.equals(dtype)) {
                throw new CaptionerException(name + ": field 'dtype' must be '" + DTYPE + "', found '" + dtype + "'");
            }
            if (shape == null || shape.length == 0 || Arrays.stream(shape).anyMatch(d -> d < 1)) {
                throw new CaptionerException(name + ": field 'shape' must be a non-empty list of positive sizes,"
                        + " found " + Arrays.toString(shape));
            }
            if (shape[shape.length - 1] != featureSize) {
                throw new CaptionerException(name + ": the last dimension of 'shape' " + Arrays.toString(shape)
                        + " must equal 'feature_size' " + featureSize);
            }
            if (data == null || data.isBlank() || data.contains("/") || data.contains("\\")
                    || !data.endsWith(DATA_SUFFIX)) {
                throw new CaptionerException(name + ": field 'data' must be the name of a " + DATA_SUFFIX
                        + " file in the same directory, found '" + data + "'");
            }
            try {
                key();
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new CaptionerException(name + ": invalid key fields (encoder, feature_size, weights_sha256,"
                        + " preprocessing): " + e.getMessage(), e);
            }
            for (int i = 0; i < rows.size(); i++) {
                Row r = rows.get(i);
                if (r == null || r.imageId() == null || r.imageId().isEmpty()) {
                    throw new CaptionerException(name + ": rows[" + i + "] has no image_id");
                }
            }
        }
    }

    /**
     * Opens a directory of feature shards and checks that they form one consistent set.
     *
     * @param dir the directory
     * @return the open set
     * @throws CaptionerException if the directory is missing, has no {@value #SUCCESS} marker or no
     *     shard, an index is invalid, shards disagree on the key or the shape, an image id appears
     *     twice, or a data file is missing (the message names the file)
     */
    public static FeatureShards open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new CaptionerException(dir + ": feature directory not found");
        }
        if (!Files.isRegularFile(dir.resolve(SUCCESS))) {
            throw new CaptionerException(dir + ": incomplete feature directory: no " + SUCCESS
                    + " marker, so the job that wrote it did not finish; run it again");
        }
        List<Path> indexes;
        try (Stream<Path> files = Files.list(dir)) {
            indexes = files.filter(p -> {
                String n = p.getFileName().toString();
                return n.endsWith(INDEX_SUFFIX) && !n.startsWith(".") && !n.startsWith("_") && Files.isRegularFile(p);
            }).sorted().toList();
        } catch (IOException e) {
            throw new CaptionerException(dir + ": cannot list feature directory: " + e.getMessage(), e);
        }
        if (indexes.isEmpty()) {
            throw new CaptionerException(dir + ": no feature shard (no *" + INDEX_SUFFIX + " index) in the directory");
        }
        CacheKey key = null;
        int[] shape = null;
        Path first = null;
        List<Path> dataFiles = new ArrayList<>();
        List<Integer> shardRows = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        Map<String, Location> locations = new HashMap<>();
        List<Failure> failures = new ArrayList<>();
        for (Path index : indexes) {
            Shard s;
            try (InputStream in = Files.newInputStream(index)) {
                s = Shard.read(in, index.toString());
            } catch (IOException e) {
                throw new CaptionerException(index + ": cannot read feature shard index: " + e.getMessage(), e);
            }
            if (key == null) {
                key = s.key();
                shape = s.shape();
                first = index;
            } else if (!key.equals(s.key()) || !Arrays.equals(shape, s.shape())) {
                throw new CaptionerException(index + ": shard made with " + s.key() + ", shape "
                        + Arrays.toString(s.shape()) + ", but " + first + " with " + key + ", shape "
                        + Arrays.toString(shape) + "; a directory must hold one extraction");
            }
            Path data = dir.resolve(s.data());
            if (!Files.isRegularFile(data)) {
                throw new CaptionerException(index + ": its data file " + data + " is missing");
            }
            int shard = dataFiles.size();
            dataFiles.add(data);
            shardRows.add(s.rows().size());
            for (int r = 0; r < s.rows().size(); r++) {
                Row row = s.rows().get(r);
                Location previous = locations.putIfAbsent(row.imageId(), new Location(shard, r, row.path()));
                if (previous != null) {
                    throw new CaptionerException(index + ": image id '" + row.imageId() + "' (" + row.path()
                            + ") is also in " + dataFiles.get(previous.shard()) + " (" + previous.path()
                            + "); image ids (file names) must be unique");
                }
                ids.add(row.imageId());
            }
            failures.addAll(s.failed());
        }
        return new FeatureShards(dir, key, shape, List.copyOf(dataFiles), List.copyOf(shardRows), Collections.unmodifiableList(ids),
                locations, List.copyOf(failures));
    }

    /**
     * Returns the key every shard was computed with.
     *
     * @return the key
     */
    public CacheKey key() {
        return key;
    }

    /**
     * Returns one row's shape.
     *
     * @return a fresh array: {@code [D]} for pooled vectors, {@code [H, W, D]} for a spatial map
     */
    public int[] shape() {
        return shape.clone();
    }

    /**
     * Returns the number of floats of one row, the product of {@link #shape()}.
     *
     * @return the row length
     */
    public int rowLength() {
        int n = 1;
        for (int d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /**
     * Returns the ids of the encoded images, shard by shard (shards in file-name order).
     *
     * @return an unmodifiable list
     */
    public List<String> ids() {
        return ids;
    }

    /**
     * Returns the number of encoded images.
     *
     * @return the row count over all shards
     */
    public int size() {
        return ids.size();
    }

    /**
     * Says whether an image was encoded.
     *
     * @param imageId an image id (file name)
     * @return true if a shard holds its row
     */
    public boolean contains(String imageId) {
        return locations.containsKey(imageId);
    }

    /**
     * Returns the images that could not be encoded.
     *
     * @return an unmodifiable list, shard by shard
     */
    public List<Failure> failures() {
        return failures;
    }

    /**
     * Refuses features made with another encoder, weights or preprocessing, as {@link FeatureCache}
     * refuses a stale cache.
     *
     * @param expected the key of the encoder the caller trains with
     * @throws StaleFeatureCacheException naming the directory, the first field that differs and both
     *     values
     */
    public void requireKey(CacheKey expected) {
        Objects.requireNonNull(expected, "expected");
        Map<String, String> have = key.fields();
        for (Map.Entry<String, String> e : expected.fields().entrySet()) {
            String found = have.get(e.getKey());
            if (!e.getValue().equals(found)) {
                throw new StaleFeatureCacheException(dir, dir + ": stale features: they were extracted with "
                        + e.getKey() + "=" + found + ", but " + e.getValue() + " is requested; extract them again"
                        + " with the requested encoder, weights and preprocessing");
            }
        }
    }

    /**
     * Reads the rows of some images, each shard's file once.
     *
     * @param imageIds the images, in the order wanted
     * @return one row of {@link #rowLength()} floats per image, in the same order
     * @throws IllegalArgumentException naming the first id that no shard holds
     * @throws CaptionerException if a data file cannot be read or does not match its index
     */
    public float[][] rows(List<String> imageIds) {
        float[][] out = new float[imageIds.size()][];
        Map<Integer, List<Integer>> byShard = new LinkedHashMap<>();
        for (int i = 0; i < imageIds.size(); i++) {
            Location loc = locations.get(imageIds.get(i));
            if (loc == null) {
                throw new IllegalArgumentException(dir + ": image '" + imageIds.get(i) + "' has no features here");
            }
            byShard.computeIfAbsent(loc.shard(), k -> new ArrayList<>()).add(i);
        }
        int length = rowLength();
        for (Map.Entry<Integer, List<Integer>> e : byShard.entrySet()) {
            Path file = dataFiles.get(e.getKey());
            float[] data = readData(file, shardRows.get(e.getKey()));
            for (int i : e.getValue()) {
                int row = locations.get(imageIds.get(i)).row();
                out[i] = Arrays.copyOfRange(data, row * length, (row + 1) * length);
            }
        }
        return out;
    }

    private float[] readData(Path file, int rowsInIndex) {
        NpyArray a;
        try {
            a = Npy.read(file);
        } catch (CaptionerException e) {
            if (e.getCause() instanceof NoSuchFileException) {
                throw new CaptionerException(file + ": feature shard data file is missing", e);
            }
            throw e;
        }
        long[] s = a.shape();
        long[] expected = new long[shape.length + 1];
        expected[0] = s.length > 0 ? s[0] : -1;
        for (int i = 0; i < shape.length; i++) {
            expected[i + 1] = shape[i];
        }
        if (a.dtype() != NpyDType.FLOAT32 || !Arrays.equals(s, expected)) {
            throw new CaptionerException(file + ": expected float32 rows of shape " + Arrays.toString(shape)
                    + ", found " + a.dtype() + " " + a.shapeString());
        }
        if (s[0] != rowsInIndex) {
            throw new CaptionerException(file + ": holds " + s[0] + " rows but its index lists " + rowsInIndex);
        }
        return a.toFloatArray();
    }

    @Override
    public String toString() {
        return "FeatureShards[" + dir + ", " + ids.size() + " x " + Arrays.toString(shape) + ", " + key + ", "
                + dataFiles.size() + " shards, " + failures.size() + " failed]";
    }
}
