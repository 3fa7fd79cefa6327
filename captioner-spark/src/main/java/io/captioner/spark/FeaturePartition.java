package io.captioner.spark;

import io.captioner.CaptionerException;
import io.captioner.models.encoder.BlockEncoder;
import io.captioner.models.encoder.TorchvisionArch;
import io.captioner.models.image.ImageLoader;
import java.awt.image.BufferedImage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;

/**
 * Encodes one partition of {@code (path, content)} rows into {@link FeatureRecord}s, a batch at a
 * time, with this JVM's shared frozen encoder: pooled vectors, or spatial maps flattened
 * location-major with channels last ({@code [H, W, D]}). A file that cannot be decoded becomes a
 * record with its error.
 */
final class FeaturePartition implements FlatMapFunction<Iterator<Row>, FeatureRecord> {

    private static final long serialVersionUID = 1L;

    private final String weights;
    private final TorchvisionArch arch;
    private final String sha256;
    private final int batchSize;
    private final boolean spatial;

    /**
     * Creates the function.
     *
     * @param weights the weights' location ({@link ModelLocation})
     * @param arch the architecture
     * @param sha256 the weights' digest on the driver
     * @param batchSize images per forward pass
     * @param spatial whether to write the last spatial map instead of the pooled vector
     */
    FeaturePartition(String weights, TorchvisionArch arch, String sha256, int batchSize, boolean spatial) {
        this.weights = weights;
        this.arch = arch;
        this.sha256 = sha256;
        this.batchSize = batchSize;
        this.spatial = spatial;
    }

    @Override
    public Iterator<FeatureRecord> call(Iterator<Row> rows) {
        TaskContext task = TaskContext.get();
        BlockEncoder encoder = ExecutorModels.encoder(weights, arch, sha256, batchSize, task == null ? 1 : task.cpus(),
                spatial);
        ImageLoader loader = ImageLoader.standard();
        return new Iterator<>() {
            private final ArrayDeque<FeatureRecord> ready = new ArrayDeque<>();

            @Override
            public boolean hasNext() {
                if (ready.isEmpty() && rows.hasNext()) {
                    List<Row> batch = new ArrayList<>(batchSize);
                    while (batch.size() < batchSize && rows.hasNext()) {
                        batch.add(rows.next());
                    }
                    ready.addAll(encode(encoder, loader, batch));
                }
                return !ready.isEmpty();
            }

            @Override
            public FeatureRecord next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return ready.poll();
            }
        };
    }

    private List<FeatureRecord> encode(BlockEncoder encoder, ImageLoader loader, List<Row> batch) {
        FeatureRecord[] out = new FeatureRecord[batch.size()];
        List<BufferedImage> images = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            String path = batch.get(i).getString(0);
            try {
                byte[] bytes = batch.get(i).isNullAt(1) ? null : (byte[]) batch.get(i).get(1);
                if (bytes == null) {
                    throw new CaptionerException(path + ": no image bytes");
                }
                images.add(loader.decode(bytes, path));
                positions.add(i);
            } catch (CaptionerException e) {
                out[i] = new FeatureRecord(SparkJobs.imageId(path), path, null, e.getMessage());
            }
        }
        if (!images.isEmpty()) {
            // a spatial encoder's rows are already its map, location-major and channels last
            float[][] rows = encoder.encode(images);
            for (int j = 0; j < positions.size(); j++) {
                String path = batch.get(positions.get(j)).getString(0);
                out[positions.get(j)] = new FeatureRecord(SparkJobs.imageId(path), path, rows[j], null);
            }
        }
        return List.of(out);
    }
}
