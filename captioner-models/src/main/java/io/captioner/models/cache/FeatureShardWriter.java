package io.captioner.models.cache;

import io.captioner.CaptionerException;
import io.captioner.models.npy.Npy;
import io.captioner.models.npy.NpyDType;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Writes one shard of the {@link FeatureShards} format: rows are added one at a time and spooled
 * to a local scratch file, because the {@code .npy} header states the row count; {@link #finish}
 * then streams the {@code .npy} and its index to wherever the caller opened them (a local file, or
 * a Hadoop output stream inside a job's output committer). Memory stays at one row whatever the
 * shard's size.
 *
 * <p>Not thread-safe: one writer per task. Always {@link #close()} it: that deletes the scratch
 * file.
 */
public final class FeatureShardWriter implements AutoCloseable {

    private final CacheKey key;
    private final int[] shape;
    private final int rowLength;
    private final Path scratch;
    private final DataOutputStream spool;
    private final ByteBuffer rowBytes;
    private final List<FeatureShards.Row> rows = new ArrayList<>();
    private final List<FeatureShards.Failure> failed = new ArrayList<>();
    private boolean finished;
    private boolean closed;

    private FeatureShardWriter(CacheKey key, int[] shape, Path scratch) throws IOException {
        this.key = key;
        this.shape = shape;
        int n = 1;
        for (int d : shape) {
            n = Math.multiplyExact(n, d);
        }
        this.rowLength = n;
        this.scratch = scratch;
        this.spool = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(scratch), 1 << 16));
        this.rowBytes = ByteBuffer.allocate(Math.multiplyExact(n, 4)).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Starts a shard.
     *
     * @param key what the features are computed with
     * @param shape one row's shape, {@code [D]} or {@code [H, W, D]}; its last size must equal the
     *     key's D
     * @param scratchDir a local directory for the spool file (for example {@code java.io.tmpdir})
     * @return the writer; the caller closes it
     * @throws IllegalArgumentException if the shape is empty, has a size below 1 or does not end in D
     * @throws CaptionerException if the scratch file cannot be created
     */
    public static FeatureShardWriter create(CacheKey key, int[] shape, Path scratchDir) {
        Objects.requireNonNull(key, "key");
        if (shape == null || shape.length == 0 || Arrays.stream(shape).anyMatch(d -> d < 1)) {
            throw new IllegalArgumentException("shape must be a non-empty list of positive sizes, found "
                    + Arrays.toString(shape));
        }
        if (shape[shape.length - 1] != key.featureSize()) {
            throw new IllegalArgumentException("the last size of shape " + Arrays.toString(shape)
                    + " must equal the key's feature size " + key.featureSize());
        }
        try {
            Files.createDirectories(scratchDir);
            Path scratch = Files.createTempFile(scratchDir, "captioner-shard-", ".f32");
            return new FeatureShardWriter(key, shape.clone(), scratch);
        } catch (IOException e) {
            throw new CaptionerException(scratchDir + ": cannot create a scratch file for a feature shard: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Adds the features of one image as the next row.
     *
     * @param imageId the image's id (its file name)
     * @param path where the image was read from
     * @param row the product of the shape floats, laid out as the shape says
     * @throws IllegalArgumentException if the row has the wrong length
     * @throws IllegalStateException after {@link #finish}
     * @throws CaptionerException if the scratch file cannot be written
     */
    public void add(String imageId, String path, float[] row) {
        checkWritable();
        Objects.requireNonNull(imageId, "imageId");
        if (row.length != rowLength) {
            throw new IllegalArgumentException("row of " + imageId + " has " + row.length + " values, expected "
                    + rowLength + " " + Arrays.toString(shape));
        }
        rowBytes.clear();
        rowBytes.asFloatBuffer().put(row);
        try {
            spool.write(rowBytes.array(), 0, rowBytes.capacity());
        } catch (IOException e) {
            throw new CaptionerException(scratch + ": cannot spool a feature row: " + e.getMessage(), e);
        }
        rows.add(new FeatureShards.Row(imageId, path));
    }

    /**
     * Records an image that could not be encoded; it gets no row.
     *
     * @param imageId the image's id
     * @param path where the image was read from
     * @param error why it failed
     * @throws IllegalStateException after {@link #finish}
     */
    public void fail(String imageId, String path, String error) {
        checkWritable();
        failed.add(new FeatureShards.Failure(imageId, path, error));
    }

    /**
     * Returns the rows added so far.
     *
     * @return the row count
     */
    public int rows() {
        return rows.size();
    }

    /**
     * Returns the failures recorded so far.
     *
     * @return the failure count
     */
    public int failures() {
        return failed.size();
    }

    /**
     * Writes the shard: the {@code .npy} (header, then the spooled rows) and its index. The streams
     * are flushed, not closed.
     *
     * @param dataFileName the name the {@code .npy} will have in the output directory (recorded in
     *     the index)
     * @param data receives the {@code .npy} bytes
     * @param index receives the index's UTF-8 JSON
     * @throws IOException if a stream fails
     * @throws IllegalStateException if called twice or after {@link #close()}
     */
    public void finish(String dataFileName, OutputStream data, OutputStream index) throws IOException {
        checkWritable();
        finished = true;
        spool.close();
        long[] npyShape = new long[shape.length + 1];
        npyShape[0] = rows.size();
        for (int i = 0; i < shape.length; i++) {
            npyShape[i + 1] = shape[i];
        }
        Npy.writeHeader(data, NpyDType.FLOAT32, npyShape);
        try (InputStream in = Files.newInputStream(scratch)) {
            in.transferTo(data);
        }
        data.flush();
        FeatureShards.Shard shard = new FeatureShards.Shard(FeatureShards.FORMAT, FeatureShards.VERSION,
                key.encoder(), key.featureSize(), key.weightsSha256(), key.preprocessing(), shape,
                FeatureShards.DTYPE, dataFileName, rows, failed);
        index.write(shard.toJson().getBytes(StandardCharsets.UTF_8));
        index.write('\n');
        index.flush();
    }

    private void checkWritable() {
        if (finished || closed) {
            throw new IllegalStateException("feature shard writer is " + (closed ? "closed" : "finished"));
        }
    }

    /** Deletes the scratch file; calling it again does nothing. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            spool.close();
        } catch (IOException e) {
            // The spool is only scratch; deleting it below is what matters.
        }
        try {
            Files.deleteIfExists(scratch);
        } catch (IOException e) {
            throw new CaptionerException(scratch + ": cannot delete feature shard scratch file: " + e.getMessage(), e);
        }
    }
}
