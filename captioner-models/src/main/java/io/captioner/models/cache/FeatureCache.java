package io.captioner.models.cache;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.util.Float16Utils;
import io.captioner.CaptionerException;
import io.captioner.ImageEncoder;
import io.captioner.io.AtomicFiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Image features computed once and stored on disk for training: pooled vectors or spatial maps,
 * as float32 or float16, read through a memory mapping so that training never needs the whole
 * cache in memory.
 *
 * <p>Directory layout: {@code features.f32} (or {@code features.f16} for {@link
 * FeatureDType#FLOAT16}) — the {@code [N, F]} little-endian matrix, row {@code i} for image {@code
 * i}, F the product of the key's {@link CacheKey#featureShape()} (spatial maps location-major,
 * channels last); {@code index.txt} — the {@link CacheKey} fields (encoder, shape, dtype, spatial
 * pooling, weights, preprocessing), N, and then the N image ids one per line; {@code progress.txt}
 * — how many leading rows are complete. Rows are written in order and the data file is forced to
 * disk before {@code progress.txt} is atomically replaced, so after a crash or an error {@link
 * #build} resumes at the first incomplete row. A cache whose key or id list differs from the
 * requested one is refused with a {@link StaleFeatureCacheException}, never reused. A cache written
 * by the first version of the format (float32 vectors, no shape or dtype in its index) is read as
 * such.
 *
 * <p>Memory: the data file is mapped read-only in segments of at most 2 GB, so a cache of any size
 * opens without reading it; the pages a reader touches stay in the operating system's page cache,
 * which may drop them at any time. {@link #rows(NDManager, int[])} gathers a batch into one
 * reusable direct buffer and converts it to float32 in the engine. An open cache is read-only and
 * thread-safe; close it to release the data file.
 */
public final class FeatureCache implements AutoCloseable {

    /** The data file of a float32 cache. */
    static final String DATA = "features.f32";
    /** The data file of a float16 cache. */
    static final String DATA_FLOAT16 = "features.f16";
    static final String INDEX = "index.txt";
    static final String PROGRESS = "progress.txt";

    /** The largest mapping Java allows in one buffer. */
    private static final long SEGMENT_BYTES = Integer.MAX_VALUE;
    /** The largest finite float16 value. */
    private static final float FLOAT16_MAX = 65504f;

    private final Path dir;
    private final CacheKey key;
    private final List<String> ids;
    private final Map<String, Integer> rowOf;
    private final FileChannel channel;
    private final List<ByteBuffer> segments;
    private final int rowsPerSegment;
    private ByteBuffer scratch;

    private FeatureCache(Path dir, CacheKey key, List<String> ids, FileChannel channel, List<ByteBuffer> segments,
            int rowsPerSegment) {
        this.dir = dir;
        this.key = key;
        this.ids = Collections.unmodifiableList(new ArrayList<>(ids));
        this.rowOf = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            rowOf.put(ids.get(i), i);
        }
        this.channel = channel;
        this.segments = segments;
        this.rowsPerSegment = rowsPerSegment;
    }

    /**
     * Returns the name of the data file of a storage type.
     *
     * @param dtype the storage type
     * @return {@code features.f32} or {@code features.f16}
     */
    public static String dataFileName(FeatureDType dtype) {
        return dtype == FeatureDType.FLOAT16 ? DATA_FLOAT16 : DATA;
    }

    /**
     * Builds the cache, or resumes an interrupted build, then opens it.
     *
     * @param dir the cache directory (created if absent)
     * @param key what the features are computed with and how they are stored; must equal the key
     *     of an existing cache
     * @param ids the image ids in row order, unique
     * @param loader decodes the image of an id (its exceptions abort the build, which can be resumed)
     * @param encoder computes the rows; its {@code featureShape()} must equal the key's
     * @param batchSize images per {@code encode} call and per progress checkpoint
     * @param progress receives updates after every batch
     * @return the complete cache, open for reading
     * @throws StaleFeatureCacheException if an existing cache was built for another key or other ids
     * @throws CaptionerException if I/O fails, the encoder returns a row of another length, or a
     *     value is too large for float16 storage
     * @throws IllegalArgumentException on duplicate ids, a shape mismatch (naming both shapes) or a
     *     non-positive batch size
     */
    public static FeatureCache build(Path dir, CacheKey key, List<String> ids, Function<String, BufferedImage> loader,
            ImageEncoder encoder, int batchSize, Progress progress) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize must be positive, got " + batchSize);
        }
        if (!Arrays.equals(encoder.featureShape(), key.featureShape())) {
            throw new IllegalArgumentException("encoder " + encoder.name() + " gives rows of shape "
                    + Arrays.toString(encoder.featureShape()) + " but the cache key says "
                    + Arrays.toString(key.featureShape()));
        }
        if (new HashSet<>(ids).size() != ids.size()) {
            throw new IllegalArgumentException("image ids must be unique");
        }
        Path data = dir.resolve(dataFileName(key.dtype()));
        try {
            Files.createDirectories(dir);
            Path index = dir.resolve(INDEX);
            if (Files.exists(index)) {
                checkIndex(dir, key, ids);
            } else {
                Files.deleteIfExists(dir.resolve(PROGRESS));
                Files.deleteIfExists(dir.resolve(DATA));
                Files.deleteIfExists(dir.resolve(DATA_FLOAT16));
                AtomicFiles.write(index, out -> out.write(indexText(key, ids).getBytes(StandardCharsets.UTF_8)));
            }
            int done = readProgress(dir, ids.size());
            int d = key.featureSize();
            long rowBytes = key.rowBytes();
            long t0 = System.nanoTime();
            int doneAtStart = done;
            progress.update(done, ids.size(), 0);
            try (FileChannel ch = FileChannel.open(data, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.READ)) {
                while (done < ids.size()) {
                    int n = Math.min(batchSize, ids.size() - done);
                    List<BufferedImage> batch = new ArrayList<>(n);
                    for (String id : ids.subList(done, done + n)) {
                        batch.add(loader.apply(id));
                    }
                    float[][] rows = encoder.encode(batch);
                    ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(n * rowBytes)).order(ByteOrder.LITTLE_ENDIAN);
                    for (int i = 0; i < n; i++) {
                        float[] row = rows[i];
                        if (row.length != d) {
                            throw new CaptionerException(encoder.name() + " returned " + row.length
                                    + " values for " + ids.get(done + i) + ", expected " + d + " "
                                    + Arrays.toString(key.featureShape()));
                        }
                        if (key.dtype() == FeatureDType.FLOAT16) {
                            putFloat16(buf, row, dir, ids.get(done + i));
                        } else {
                            buf.asFloatBuffer().put(row);
                            buf.position(buf.position() + d * Float.BYTES);
                        }
                    }
                    buf.flip();
                    long pos = done * rowBytes;
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

    /** Appends a row as float16, refusing finite values beyond float16's range. */
    private static void putFloat16(ByteBuffer buf, float[] row, Path dir, String id) {
        for (int j = 0; j < row.length; j++) {
            float v = row[j];
            if (Math.abs(v) > FLOAT16_MAX && Float.isFinite(v)) {
                throw new CaptionerException(dir + ": feature " + j + " of image " + id + " is " + v
                        + ", beyond float16's range of +-" + FLOAT16_MAX + "; store this cache as float32");
            }
            buf.putShort(Float16Utils.floatToHalf(v));
        }
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
        return open(dir, key, ids, SEGMENT_BYTES);
    }

    /** Opens a cache mapping its data in segments of at most {@code segmentBytes} (tests use small ones). */
    static FeatureCache open(Path dir, CacheKey key, List<String> ids, long segmentBytes) {
        Path data = dir.resolve(dataFileName(key.dtype()));
        try {
            checkIndex(dir, key, ids);
            int done = readProgress(dir, ids.size());
            if (done < ids.size()) {
                throw new CaptionerException(dir + ": feature cache is incomplete: " + done + " of " + ids.size()
                        + " rows done; run the build again to resume");
            }
            long rowBytes = key.rowBytes();
            long bytes = ids.size() * rowBytes;
            FileChannel ch = FileChannel.open(data, StandardOpenOption.READ);
            try {
                if (ch.size() < bytes) {
                    throw new CaptionerException(data + ": expected " + bytes + " bytes (" + ids.size() + " rows of "
                            + CacheKey.shapeText(key.featureShape()) + " " + key.dtype() + "), found " + ch.size());
                }
                int rowsPerSegment = (int) Math.max(1, Math.min(Integer.MAX_VALUE, segmentBytes / rowBytes));
                List<ByteBuffer> segments = new ArrayList<>();
                for (long row = 0; row < ids.size(); row += rowsPerSegment) {
                    long rows = Math.min(rowsPerSegment, ids.size() - row);
                    MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_ONLY, row * rowBytes, rows * rowBytes);
                    segments.add(m.order(ByteOrder.LITTLE_ENDIAN));
                }
                return new FeatureCache(dir, key, ids, ch, List.copyOf(segments), rowsPerSegment);
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        } catch (IOException e) {
            throw new CaptionerException(dir + ": cannot open feature cache: " + e.getMessage(), e);
        }
    }

    private static String indexText(CacheKey key, List<String> ids) {
        StringBuilder sb = new StringBuilder("# captioner feature cache v2\n");
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
        Map<String, String> found = new LinkedHashMap<>();
        // name=value lines up to and including count=N; the image ids follow (and may contain '=')
        int i = 1;
        for (; i < lines.size() && !found.containsKey("count"); i++) {
            int eq = lines.get(i).indexOf('=');
            if (eq < 0) {
                throw new CaptionerException(index + " line " + (i + 1) + ": expected name=value, found '"
                        + lines.get(i) + "'");
            }
            found.put(lines.get(i).substring(0, eq), lines.get(i).substring(eq + 1));
        }
        // the first version stored float32 vectors and recorded neither shape, dtype nor pooling
        String size = found.get("feature_size");
        if (size != null) {
            found.putIfAbsent("feature_shape", size);
        }
        found.putIfAbsent("dtype", FeatureDType.FLOAT32.id());
        found.putIfAbsent("spatial", "none");
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
     * Returns the shape of one row, {@code {D}} or {@code {H, W, D}}.
     *
     * @return a fresh array
     */
    public int[] featureShape() {
        return key.featureShape();
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

    /** The stored bytes of one row, a read-only view positioned at 0. */
    private ByteBuffer stored(int row) {
        int rowBytes = key.rowBytes();
        int offset = (row % rowsPerSegment) * rowBytes;
        return segments.get(row / rowsPerSegment).slice(offset, rowBytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Returns one row as float32.
     *
     * @param row 0 to {@code size() - 1}
     * @return a new array of {@code key().featureSize()} floats, laid out as {@link #featureShape()}
     * @throws IndexOutOfBoundsException for a bad row
     * @throws IllegalStateException if the cache is closed
     */
    public float[] get(int row) {
        Objects.checkIndex(row, ids.size());
        checkOpen();
        ByteBuffer bytes = stored(row);
        float[] out = new float[key.featureSize()];
        if (key.dtype() == FeatureDType.FLOAT16) {
            for (int i = 0; i < out.length; i++) {
                out[i] = Float16Utils.halfToFloat(bytes.getShort(i * 2));
            }
        } else {
            bytes.asFloatBuffer().get(out);
        }
        return out;
    }

    /**
     * Returns the row of an image id.
     *
     * @param id an image id of this cache
     * @return a new array of {@code key().featureSize()} floats
     * @throws IllegalArgumentException if the id is not in the cache
     */
    public float[] get(String id) {
        Integer row = rowOf.get(id);
        if (row == null) {
            throw new IllegalArgumentException(dir + ": image '" + id + "' is not in the feature cache");
        }
        return get(row);
    }

    /**
     * Returns consecutive rows as float32, for reading a split chunk by chunk.
     *
     * @param from the first row, inclusive
     * @param to the last row, exclusive
     * @return {@code to - from} new arrays of {@code key().featureSize()} floats
     * @throws IndexOutOfBoundsException if the range is not inside {@code [0, size()]}
     */
    public float[][] get(int from, int to) {
        Objects.checkFromToIndex(from, to, ids.size());
        float[][] out = new float[to - from][];
        for (int i = from; i < to; i++) {
            out[i - from] = get(i);
        }
        return out;
    }

    /**
     * Returns some rows as one float32 array in the engine: the stored bytes of the rows are copied
     * into a direct buffer this cache reuses from call to call, then turned into float32 by the
     * engine (float16 is converted there, batch by batch). Nothing of the size of the cache is
     * allocated.
     *
     * @param manager owns the result; no other array is left in it
     * @param rows row indices in {@code [0, size())}, any order, repeats allowed
     * @return {@code [rows.length, featureShape()...] float32}
     * @throws IndexOutOfBoundsException naming the first bad row
     * @throws IllegalStateException if the cache is closed
     */
    public synchronized NDArray rows(NDManager manager, int[] rows) {
        checkOpen();
        for (int r : rows) {
            Objects.checkIndex(r, ids.size());
        }
        Shape shape = new Shape(rows.length).addAll(new Shape(Arrays.stream(key.featureShape()).asLongStream()
                .toArray()));
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            // the engine reads buffers in native order; this file is little-endian
            float[] flat = new float[rows.length * key.featureSize()];
            for (int i = 0; i < rows.length; i++) {
                System.arraycopy(get(rows[i]), 0, flat, i * key.featureSize(), key.featureSize());
            }
            return manager.create(flat, shape);
        }
        int bytes = Math.multiplyExact(rows.length, key.rowBytes());
        if (scratch == null || scratch.capacity() < bytes) {
            scratch = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
        }
        scratch.clear();
        for (int r : rows) {
            scratch.put(stored(r));
        }
        // the array wraps the scratch buffer without copying, so it is copied out and closed at once
        ByteBuffer view = scratch.slice(0, bytes).order(ByteOrder.nativeOrder());
        try (NDArray raw = manager.create(view, shape,
                key.dtype() == FeatureDType.FLOAT16 ? DataType.FLOAT16 : DataType.FLOAT32)) {
            return key.dtype() == FeatureDType.FLOAT16 ? raw.toType(DataType.FLOAT32, false) : raw.duplicate();
        }
    }

    private void checkOpen() {
        if (!channel.isOpen()) {
            throw new IllegalStateException(dir + ": feature cache is closed");
        }
    }

    /**
     * Closes the data file; further reads fail. The mapping itself is released when garbage
     * collected. Closing twice does nothing.
     */
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
        return "FeatureCache[" + dir + ", " + ids.size() + " x " + CacheKey.shapeText(key.featureShape()) + " "
                + key.dtype() + ", " + key + "]";
    }
}
