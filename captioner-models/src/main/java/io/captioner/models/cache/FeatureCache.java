package io.captioner.models.cache;

import io.captioner.CaptionerException;
import io.captioner.ImageEncoder;
import io.captioner.io.AtomicFiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Image feature vectors computed once and stored on disk for training.
 *
 * <p>Directory layout: {@code features.f32} — the {@code [N, D]} float32 little-endian matrix,
 * row {@code i} for image {@code i}, memory-mapped for reading; {@code index.txt} — the
 * {@link CacheKey} fields, N, and then the N image ids one per line; {@code progress.txt} — how many
 * leading rows are complete. Rows are written in order and {@code features.f32} is forced to disk
 * before {@code progress.txt} is atomically replaced, so after a crash or an error
 * {@link #build} resumes at the first incomplete row. A cache whose key or id list differs from
 * the requested one is refused with a {@link StaleFeatureCacheException}, never reused. An open
 * cache is read-only and thread-safe; close it to release the mapping.
 */
public final class FeatureCache implements AutoCloseable {

    static final String DATA = "features.f32";
    static final String INDEX = "index.txt";
    static final String PROGRESS = "progress.txt";

    private final Path dir;
    private final CacheKey key;
    private final List<String> ids;
    private final Map<String, Integer> rowOf;
    private final FileChannel channel;
    private final FloatBuffer mapped;

    private FeatureCache(Path dir, CacheKey key, List<String> ids, FileChannel channel, FloatBuffer mapped) {
        this.dir = dir;
        this.key = key;
        this.ids = Collections.unmodifiableList(new ArrayList<>(ids));
        this.rowOf = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            rowOf.put(ids.get(i), i);
        }
        this.channel = channel;
        this.mapped = mapped;
    }

    /**
     * Builds the cache, or resumes an interrupted build, then opens it.
     *
     * @param dir the cache directory (created if absent)
     * @param key what the features are computed with; must equal the key of an existing cache
     * @param ids the image ids in row order, unique
     * @param loader decodes the image of an id (its exceptions abort the build, which can be resumed)
     * @param encoder computes the vectors; {@code encoder.featureSize()} must equal the key's D
     * @param batchSize images per {@code encode} call and per progress checkpoint
     * @param progress receives updates after every batch
     * @return the complete cache, open for reading
     * @throws StaleFeatureCacheException if an existing cache was built for another key or other ids
     * @throws CaptionerException if I/O fails
     * @throws IllegalArgumentException on duplicate ids, a D mismatch or a non-positive batch size
     */
    public static FeatureCache build(Path dir, CacheKey key, List<String> ids, Function<String, BufferedImage> loader,
            ImageEncoder encoder, int batchSize, Progress progress) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize must be positive, got " + batchSize);
        }
        if (encoder.featureSize() != key.featureSize()) {
            throw new IllegalArgumentException("encoder " + encoder.name() + " gives D=" + encoder.featureSize()
                    + " but the cache key says " + key.featureSize());
        }
        if (new java.util.HashSet<>(ids).size() != ids.size()) {
            throw new IllegalArgumentException("image ids must be unique");
        }
        try {
            Files.createDirectories(dir);
            Path index = dir.resolve(INDEX);
            if (Files.exists(index)) {
                checkIndex(dir, key, ids);
            } else {
                Files.deleteIfExists(dir.resolve(PROGRESS));
                Files.deleteIfExists(dir.resolve(DATA));
                AtomicFiles.write(index, out -> out.write(indexText(key, ids).getBytes(StandardCharsets.UTF_8)));
            }
            int done = readProgress(dir, ids.size());
            int d = key.featureSize();
            long t0 = System.nanoTime();
            int doneAtStart = done;
            progress.update(done, ids.size(), 0);
            try (FileChannel ch = FileChannel.open(dir.resolve(DATA), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.READ)) {
                while (done < ids.size()) {
                    int n = Math.min(batchSize, ids.size() - done);
                    List<BufferedImage> batch = new ArrayList<>(n);
                    for (String id : ids.subList(done, done + n)) {
                        batch.add(loader.apply(id));
                    }
                    float[][] rows = encoder.encode(batch);
                    ByteBuffer buf = ByteBuffer.allocate(n * d * 4).order(ByteOrder.LITTLE_ENDIAN);
                    for (float[] row : rows) {
                        if (row.length != d) {
                            throw new CaptionerException(encoder.name() + " returned " + row.length
                                    + " values, expected " + d);
                        }
                        for (float v : row) {
                            buf.putFloat(v);
                        }
                    }
                    buf.flip();
                    long pos = (long) done * d * 4;
                    while (buf.hasRemaining()) {
                        pos += ch.write(buf, pos);
                    }
                    ch.force(false);
                    done += n;
                    int finished = done;
                    AtomicFiles.write(dir.resolve(PROGRESS),
                            out -> out.write((finished + "\n").getBytes(StandardCharsets.UTF_8)));
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    progress.update(done, ids.size(), seconds > 0 ? (done - doneAtStart) / seconds : 0);
                }
            }
        } catch (IOException e) {
            throw new CaptionerException(dir + ": cannot write feature cache: " + e.getMessage(), e);
        }
        return open(dir, key, ids);
    }

    /**
     * Opens a complete cache for reading.
     *
     * @param dir the cache directory
     * @param key the key the caller needs
     * @param ids the image ids the caller expects, in row order
     * @return the open cache
     * @throws StaleFeatureCacheException if the cache was built for another key or other ids
     * @throws CaptionerException if the cache is missing or incomplete
     */
    public static FeatureCache open(Path dir, CacheKey key, List<String> ids) {
        try {
            checkIndex(dir, key, ids);
            int done = readProgress(dir, ids.size());
            if (done < ids.size()) {
                throw new CaptionerException(dir + ": feature cache is incomplete: " + done + " of " + ids.size()
                        + " rows done; run the build again to resume");
            }
            long bytes = (long) ids.size() * key.featureSize() * 4;
            FileChannel ch = FileChannel.open(dir.resolve(DATA), StandardOpenOption.READ);
            if (ch.size() < bytes) {
                ch.close();
                throw new CaptionerException(dir.resolve(DATA) + ": expected " + bytes + " bytes, found " + ch.size());
            }
            FloatBuffer mapped = bytes <= Integer.MAX_VALUE
                    ? ch.map(FileChannel.MapMode.READ_ONLY, 0, bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer()
                    : null;
            return new FeatureCache(dir, key, ids, ch, mapped);
        } catch (IOException e) {
            throw new CaptionerException(dir + ": cannot open feature cache: " + e.getMessage(), e);
        }
    }

    private static String indexText(CacheKey key, List<String> ids) {
        StringBuilder sb = new StringBuilder("# captioner feature cache v1\n");
        key.fields().forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        sb.append("count=").append(ids.size()).append('\n');
        for (String id : ids) {
            if (id.contains("\n")) {
                throw new IllegalArgumentException("image id contains a line break: " + id);
            }
            sb.append(id).append('\n');
        }
        return sb.toString();
    }

    private static void checkIndex(Path dir, CacheKey key, List<String> ids) throws IOException {
        Path index = dir.resolve(INDEX);
        if (!Files.exists(index)) {
            throw new CaptionerException(dir + ": no feature cache here (missing " + INDEX + ")");
        }
        List<String> lines = Files.readAllLines(index, StandardCharsets.UTF_8);
        Map<String, String> found = new java.util.LinkedHashMap<>();
        int i = 1;
        for (; i < lines.size() && found.size() < key.fields().size() + 1; i++) {
            int eq = lines.get(i).indexOf('=');
            if (eq < 0) {
                throw new CaptionerException(index + " line " + (i + 1) + ": expected name=value, found '"
                        + lines.get(i) + "'");
            }
            found.put(lines.get(i).substring(0, eq), lines.get(i).substring(eq + 1));
        }
        for (Map.Entry<String, String> e : key.fields().entrySet()) {
            String have = found.get(e.getKey());
            if (!e.getValue().equals(have)) {
                throw new StaleFeatureCacheException(dir, dir + ": stale feature cache: it was built with "
                        + e.getKey() + "=" + have + ", but " + e.getValue()
                        + " is requested; delete the directory or use another one");
            }
        }
        List<String> cachedIds = lines.subList(i, lines.size());
        if (!cachedIds.equals(ids)) {
            throw new StaleFeatureCacheException(dir, dir + ": stale feature cache: it holds " + cachedIds.size()
                    + " images in a different list or order than the " + ids.size() + " requested"
                    + "; delete the directory or use another one");
        }
    }

    private static int readProgress(Path dir, int total) throws IOException {
        Path p = dir.resolve(PROGRESS);
        if (!Files.exists(p)) {
            return 0;
        }
        String s = Files.readString(p, StandardCharsets.UTF_8).trim();
        try {
            int n = Integer.parseInt(s);
            if (n < 0 || n > total) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new CaptionerException(p + ": expected a row count in [0, " + total + "], found '" + s + "'");
        }
    }

    /**
     * Returns the key the cache was built with.
     *
     * @return the key
     */
    public CacheKey key() {
        return key;
    }

    /**
     * Returns the image ids in row order.
     *
     * @return an unmodifiable list
     */
    public List<String> ids() {
        return ids;
    }

    /**
     * Returns the number of rows.
     *
     * @return N
     */
    public int size() {
        return ids.size();
    }

    /**
     * Returns one row.
     *
     * @param row 0 to {@code size() - 1}
     * @return a new array of D floats
     * @throws IndexOutOfBoundsException for a bad row
     */
    public float[] get(int row) {
        java.util.Objects.checkIndex(row, ids.size());
        int d = key.featureSize();
        float[] out = new float[d];
        if (mapped != null) {
            mapped.duplicate().position(row * d).get(out);
            return out;
        }
        ByteBuffer buf = ByteBuffer.allocate(d * 4).order(ByteOrder.LITTLE_ENDIAN);
        try {
            long pos = (long) row * d * 4;
            while (buf.hasRemaining()) {
                int n = channel.read(buf, pos + buf.position());
                if (n < 0) {
                    throw new CaptionerException(dir.resolve(DATA) + ": truncated at row " + row);
                }
            }
        } catch (IOException e) {
            throw new CaptionerException(dir.resolve(DATA) + ": cannot read row " + row + ": " + e.getMessage(), e);
        }
        buf.flip().asFloatBuffer().get(out);
        return out;
    }

    /**
     * Returns the row of an image id.
     *
     * @param id an image id of this cache
     * @return a new array of D floats
     * @throws IllegalArgumentException if the id is not in the cache
     */
    public float[] get(String id) {
        Integer row = rowOf.get(id);
        if (row == null) {
            throw new IllegalArgumentException(dir + ": image '" + id + "' is not in the feature cache");
        }
        return get(row);
    }

    /** Closes the data file; the mapping is released when garbage-collected. */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new CaptionerException(dir + ": cannot close feature cache: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "FeatureCache[" + dir + ", " + ids.size() + " x " + key.featureSize() + ", " + key + "]";
    }
}
