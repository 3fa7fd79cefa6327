package io.captioner.spark;

import io.captioner.models.cache.CacheKey;
import io.captioner.models.cache.FeatureShardWriter;
import io.captioner.models.cache.FeatureShards;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.mapreduce.RecordWriter;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;

/**
 * A Hadoop output format that writes {@link FeatureShards}: each task writes {@code
 * part-r-NNNNN-SSSSS.npy} and {@code .json} pairs (a new pair every {@link #ROWS_PER_SHARD} rows) into
 * its attempt's work directory, and the job's output committer moves them into place when the task
 * commits; a failed or retried attempt leaves nothing behind, and the committed job leaves
 * {@code _SUCCESS}. Public only because Hadoop instantiates it by name; configure it with
 * {@link #configure}.
 */
public final class FeatureShardOutputFormat extends FileOutputFormat<NullWritable, FeatureRecord> {

    /** Configuration key: the encoder name of the features' cache key. */
    public static final String ENCODER = "captioner.features.encoder";
    /** Configuration key: D, the feature size of the cache key. */
    public static final String FEATURE_SIZE = "captioner.features.featureSize";
    /** Configuration key: the weights' SHA-256. */
    public static final String WEIGHTS_SHA256 = "captioner.features.weightsSha256";
    /** Configuration key: the preprocessing's description. */
    public static final String PREPROCESSING = "captioner.features.preprocessing";
    /** Configuration key: one row's shape, comma-separated. */
    public static final String SHAPE = "captioner.features.shape";
    /** Configuration key: the most rows per shard. */
    public static final String ROWS_PER_SHARD = "captioner.features.rowsPerShard";

    /** Creates the format; Hadoop calls this. */
    public FeatureShardOutputFormat() {}

    /**
     * Stores what the shards record in a job configuration.
     *
     * @param conf the job's Hadoop configuration
     * @param key what the features were computed with
     * @param shape one row's shape
     * @param rowsPerShard the most rows per shard file, at least 1
     */
    public static void configure(Configuration conf, CacheKey key, int[] shape, int rowsPerShard) {
        conf.set(ENCODER, key.encoder());
        conf.setInt(FEATURE_SIZE, key.featureSize());
        conf.set(WEIGHTS_SHA256, key.weightsSha256());
        conf.set(PREPROCESSING, key.preprocessing());
        conf.set(SHAPE, String.join(",", Arrays.stream(shape).mapToObj(Integer::toString).toList()));
        conf.setInt(ROWS_PER_SHARD, rowsPerShard);
    }

    @Override
    public RecordWriter<NullWritable, FeatureRecord> getRecordWriter(TaskAttemptContext context) throws IOException {
        Configuration conf = context.getConfiguration();
        CacheKey key = new CacheKey(conf.get(ENCODER), conf.getInt(FEATURE_SIZE, 0), conf.get(WEIGHTS_SHA256),
                conf.get(PREPROCESSING));
        int[] shape = Arrays.stream(conf.get(SHAPE).split(",")).mapToInt(Integer::parseInt).toArray();
        int rowsPerShard = conf.getInt(ROWS_PER_SHARD, Integer.MAX_VALUE);
        org.apache.hadoop.fs.Path base = getDefaultWorkFile(context, "");
        return new ShardRecordWriter(base, base.getFileSystem(conf), key, shape, rowsPerShard);
    }

    /** Writes a task's records as one or more shards next to the task's default work file. */
    private static final class ShardRecordWriter extends RecordWriter<NullWritable, FeatureRecord> {
        private final org.apache.hadoop.fs.Path base;
        private final FileSystem fs;
        private final CacheKey key;
        private final int[] shape;
        private final int rowsPerShard;
        private final Path scratch = Path.of(System.getProperty("java.io.tmpdir"));
        private FeatureShardWriter current;
        private int written;

        ShardRecordWriter(org.apache.hadoop.fs.Path base, FileSystem fs, CacheKey key, int[] shape,
                int rowsPerShard) {
            this.base = base;
            this.fs = fs;
            this.key = key;
            this.shape = shape;
            this.rowsPerShard = rowsPerShard;
        }

        @Override
        public void write(NullWritable ignored, FeatureRecord r) throws IOException {
            if (current == null) {
                current = FeatureShardWriter.create(key, shape, scratch);
            }
            if (r.error() != null) {
                current.fail(r.imageId(), r.path(), r.error());
            } else {
                current.add(r.imageId(), r.path(), r.features());
                if (current.rows() >= rowsPerShard) {
                    finishShard();
                }
            }
        }

        private void finishShard() throws IOException {
            try (FeatureShardWriter w = current) {
                current = null;
                String name = String.format(java.util.Locale.ROOT, "%s-%05d", base.getName(), written++);
                org.apache.hadoop.fs.Path dir = base.getParent();
                try (FSDataOutputStream data = fs.create(new org.apache.hadoop.fs.Path(dir,
                                name + FeatureShards.DATA_SUFFIX), false);
                        FSDataOutputStream index = fs.create(new org.apache.hadoop.fs.Path(dir,
                                name + FeatureShards.INDEX_SUFFIX), false)) {
                    w.finish(name + FeatureShards.DATA_SUFFIX, data, index);
                }
            }
        }

        @Override
        public void close(TaskAttemptContext context) throws IOException {
            if (current != null && (current.rows() > 0 || current.failures() > 0)) {
                finishShard();
            } else if (current != null) {
                current.close();
            }
        }
    }
}
