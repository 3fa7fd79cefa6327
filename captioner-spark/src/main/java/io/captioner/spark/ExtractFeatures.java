package io.captioner.spark;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.captioner.CaptionerException;
import io.captioner.io.Digests;
import io.captioner.models.cache.CacheKey;
import io.captioner.models.cache.FeatureShards;
import io.captioner.models.encoder.BlockEncoder;
import io.captioner.models.encoder.TorchvisionArch;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.NullWritable;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import scala.Tuple2;

import static org.apache.spark.sql.functions.col;

/**
 * The feature extraction job: every image under a path through a frozen VGG-16 or ResNet-50, on
 * Spark, into {@link FeatureShards} that {@code captioner train --features OUT} reads without Spark
 * or Hadoop. Rows are the pooled vector ({@code [D]}: ResNet-50 2048, VGG-16 4096) or, with
 * {@code --spatial}, the last spatial map ({@code [H, W, D]}: ResNet-50 layer4 7×7×2048, VGG-16
 * conv5_3 14×14×512), tagged with the encoder's cache key (architecture, weights SHA-256,
 * preprocessing) so that training with other weights refuses them.
 *
 * <p>Shards are written through Spark's Hadoop output committer ({@link FeatureShardOutputFormat}):
 * a retried task's output is never duplicated, and {@code _SUCCESS} marks a complete job. A file
 * that cannot be decoded, or is over {@code --max-bytes}, is listed with its error in its shard's
 * index and counted as failed. A second run replaces the shards of the first; a non-empty {@code OUT}
 * holding anything else is refused. Ends with one JSON line on stdout: {@code images},
 * {@code encoded}, {@code failed}, {@code seconds}, {@code images_per_second}, {@code shape},
 * {@code shards}.
 *
 * <pre>{@code
 * captioner-spark/run.sh features --encoder resnet50 --weights W --images PATH --out DIR [--spatial]
 * }</pre>
 * Exit codes: 0 done (failed images included), 1 runtime error, 2 usage error.
 */
@Command(name = "ExtractFeatures", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Encodes every image under a path with a frozen CNN on Spark into .npy",
            "feature shards that 'captioner train --features OUT' reads; ends with one",
            "JSON line on stdout."})
public final class ExtractFeatures implements Callable<Integer> {

    /** The shard size the default rows per shard aim at, in bytes. */
    public static final long SHARD_BYTES = 256L << 20;

    @Spec private CommandSpec spec;

    @Option(names = "--encoder", required = true, paramLabel = "ARCH", converter = ArchConverter.class,
            description = "vgg16 (fc7, D=4096; conv5_3 14x14x512) or resnet50 (pool, D=2048; layer4 7x7x2048).")
    private TorchvisionArch encoder;

    @Option(names = "--weights", required = true, paramLabel = "W",
            description = "Weights .npz from scripts/export_torchvision.py: a path on every node, a file shipped "
                    + "with --files, or an hdfs:// or s3a:// URI.")
    private String weights;

    @Option(names = "--images", required = true, paramLabel = "PATH",
            description = "Image file or directory (read recursively), on any Hadoop file system.")
    private String images;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory of the shards.")
    private String out;

    @Option(names = "--spatial", description = "Write the last spatial map [H, W, D] instead of the pooled vector.")
    private boolean spatial;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master (default: the one spark-submit sets, else local[*]).")
    private String master;

    @Option(names = "--batch-size", defaultValue = "8", paramLabel = "N",
            description = "Images per forward pass in a task (default: ${DEFAULT-VALUE}).")
    private int batchSize;

    @Option(names = "--shard-rows", paramLabel = "N",
            description = "Most images per shard file (default: as many as fit in 256 MiB).")
    private Integer shardRows;

    @Option(names = "--max-bytes", defaultValue = "268435456", paramLabel = "N",
            description = "Larger files fail without being read (default: ${DEFAULT-VALUE}).")
    private long maxBytes;

    /** Parses {@code vgg16}/{@code resnet50} with the library's message for other values. */
    static final class ArchConverter implements CommandLine.ITypeConverter<TorchvisionArch> {
        @Override
        public TorchvisionArch convert(String value) {
            try {
                return TorchvisionArch.of(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /**
     * What to run.
     *
     * @param encoder the architecture
     * @param weights the {@code .npz} weights' location (see {@link ModelLocation})
     * @param images a file or directory of images, any Hadoop path
     * @param out the output directory, any Hadoop path
     * @param spatial whether rows are spatial maps instead of pooled vectors
     * @param batchSize images per forward pass, at least 1
     * @param shardRows the most rows per shard file, at least 1, or null for 256 MiB worth
     * @param maxBytes files larger than this many bytes fail unread, at least 1
     */
    public record Options(TorchvisionArch encoder, String weights, String images, String out, boolean spatial,
            int batchSize, Integer shardRows, long maxBytes) {

        /**
         * Validates the options.
         *
         * @param encoder see the record description
         * @param weights see the record description
         * @param images see the record description
         * @param out see the record description
         * @param spatial see the record description
         * @param batchSize see the record description
         * @param shardRows see the record description
         * @param maxBytes see the record description
         * @throws IllegalArgumentException naming the first invalid option and its value
         */
        public Options {
            if (encoder == null || weights == null || images == null || out == null) {
                throw new IllegalArgumentException("encoder, weights, images and out are required");
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("--batch-size must be at least 1, found " + batchSize);
            }
            if (shardRows != null && shardRows < 1) {
                throw new IllegalArgumentException("--shard-rows must be at least 1, found " + shardRows);
            }
            if (maxBytes < 1) {
                throw new IllegalArgumentException("--max-bytes must be at least 1, found " + maxBytes);
            }
        }

        /**
         * Returns one row's shape.
         *
         * @return {@code [D]}, or {@code [H, W, D]} for spatial maps
         */
        public int[] shape() {
            return spatial ? new int[] {encoder.spatialSize(), encoder.spatialSize(), encoder.spatialChannels()}
                    : new int[] {encoder.featureSize()};
        }

        /**
         * Creates a builder with the defaults: pooled vectors, batches of 8, 256 MiB shards, files up
         * to 256 MiB.
         *
         * @return a new builder
         */
        public static Builder builder() {
            return new Builder();
        }

        /** Collects the options; setters may be called in any order. */
        public static final class Builder {
            private TorchvisionArch encoder;
            private String weights;
            private String images;
            private String out;
            private boolean spatial;
            private int batchSize = 8;
            private Integer shardRows;
            private long maxBytes = SparkJobs.DEFAULT_MAX_BYTES;

            private Builder() {}

            /**
             * Sets the architecture (required).
             *
             * @param value see {@link Options#encoder()}
             * @return this builder
             */
            public Builder setEncoder(TorchvisionArch value) {
                encoder = value;
                return this;
            }

            /**
             * Sets the weights (required).
             *
             * @param value see {@link Options#weights()}
             * @return this builder
             */
            public Builder setWeights(String value) {
                weights = value;
                return this;
            }

            /**
             * Sets the images (required).
             *
             * @param value see {@link Options#images()}
             * @return this builder
             */
            public Builder setImages(String value) {
                images = value;
                return this;
            }

            /**
             * Sets the output directory (required).
             *
             * @param value see {@link Options#out()}
             * @return this builder
             */
            public Builder setOut(String value) {
                out = value;
                return this;
            }

            /**
             * Sets whether rows are spatial maps (default false: pooled vectors).
             *
             * @param value see {@link Options#spatial()}
             * @return this builder
             */
            public Builder optSpatial(boolean value) {
                spatial = value;
                return this;
            }

            /**
             * Sets the images per forward pass (default 8).
             *
             * @param value see {@link Options#batchSize()}
             * @return this builder
             */
            public Builder optBatchSize(int value) {
                batchSize = value;
                return this;
            }

            /**
             * Sets the most rows per shard file (default: 256 MiB worth).
             *
             * @param value see {@link Options#shardRows()}
             * @return this builder
             */
            public Builder optShardRows(Integer value) {
                shardRows = value;
                return this;
            }

            /**
             * Sets the largest file read, in bytes (default 256 MiB).
             *
             * @param value see {@link Options#maxBytes()}
             * @return this builder
             */
            public Builder optMaxBytes(long value) {
                maxBytes = value;
                return this;
            }

            /**
             * Validates and builds the options.
             *
             * @return the options
             * @throws IllegalArgumentException naming the first invalid option and its value
             */
            public Options build() {
                return new Options(encoder, weights, images, out, spatial, batchSize, shardRows, maxBytes);
            }
        }
    }

    /**
     * What a run did.
     *
     * @param images the files found
     * @param encoded the files encoded (rows written)
     * @param failed the files that could not be encoded
     * @param seconds wall-clock seconds of the job, encoder loading on the driver excluded
     * @param shape one row's shape
     * @param shards the shard files written
     */
    public record Summary(long images, long encoded, long failed, double seconds, int[] shape, int shards) {

        /**
         * Returns the throughput.
         *
         * @return images per second of the job, 0 for an empty job
         */
        public double imagesPerSecond() {
            return seconds > 0 ? images / seconds : 0;
        }

        /**
         * Formats the summary as one line of JSON: {@code images}, {@code encoded}, {@code failed},
         * {@code seconds}, {@code images_per_second}, {@code shape}, {@code shards}.
         *
         * @return the JSON text
         */
        public String toJson() {
            JsonObject o = new JsonObject();
            o.addProperty("images", images);
            o.addProperty("encoded", encoded);
            o.addProperty("failed", failed);
            o.addProperty("seconds", Math.round(seconds * 1000) / 1000.0);
            o.addProperty("images_per_second", Math.round(imagesPerSecond() * 100) / 100.0);
            JsonArray s = new JsonArray();
            for (int d : shape) {
                s.add(d);
            }
            o.add("shape", s);
            o.addProperty("shards", shards);
            return o.toString();
        }
    }

    /**
     * Runs the job on a session.
     *
     * @param spark the session (embedded or a cluster's)
     * @param options what to run
     * @return the counts and the time taken
     * @throws CaptionerException if the weights cannot be found or do not fit (before any task
     *     starts), the output directory holds other files, or writing fails
     */
    public static Summary run(SparkSession spark, Options options) {
        ModelLocation.ship(spark, options.weights());
        String sha256 = Digests.sha256(ModelLocation.resolve(options.weights()));
        int taskCpus = spark.sparkContext().getConf().getInt("spark.task.cpus", 1);
        BlockEncoder encoder = ExecutorModels.encoder(options.weights(), options.encoder(), sha256,
                options.batchSize(), taskCpus, options.spatial());
        // a shard's key records D, the channels of a row (the last size of its shape), also for spatial maps
        CacheKey key = new CacheKey(encoder.name(), encoder.vectorSize(), sha256, encoder.preprocessing().toString());
        int[] shape = options.shape();
        int rowLength = 1;
        for (int d : shape) {
            rowLength *= d;
        }
        int shardRows = options.shardRows() != null ? options.shardRows()
                : (int) Math.max(1, SHARD_BYTES / (4L * rowLength));
        Configuration conf = new Configuration(spark.sparkContext().hadoopConfiguration());
        FeatureShardOutputFormat.configure(conf, key, shape, shardRows);
        Path out = new Path(options.out());
        long start = System.nanoTime();
        clearPreviousShards(out, conf);

        Dataset<Row> files = SparkJobs.images(spark, options.images());
        long maxBytes = options.maxBytes();
        JavaRDD<FeatureRecord> encoded = files.where(col("length").leq(maxBytes)).select("path", "content")
                .javaRDD().mapPartitions(new FeaturePartition(options.weights(), options.encoder(), sha256,
                        options.batchSize(), options.spatial()));
        JavaRDD<FeatureRecord> tooLarge = files.where(col("length").gt(maxBytes)).select("path", "length").javaRDD()
                .map(r -> new FeatureRecord(SparkJobs.imageId(r.getString(0)), r.getString(0), null,
                        SparkJobs.tooLarge(r.getString(0), r.getLong(1), maxBytes)));
        encoded.union(tooLarge).mapToPair(r -> new Tuple2<>(NullWritable.get(), r))
                .saveAsNewAPIHadoopFile(out.toString(), NullWritable.class, FeatureRecord.class,
                        FeatureShardOutputFormat.class, conf);
        return summarize(out, conf, shape, (System.nanoTime() - start) / 1e9);
    }

    /**
     * Deletes what an earlier run wrote, so the committer can write the directory again; refuses a
     * directory holding anything else.
     */
    private static void clearPreviousShards(Path out, Configuration conf) {
        try {
            FileSystem fs = out.getFileSystem(conf);
            if (!fs.exists(out)) {
                return;
            }
            FileStatus[] entries = fs.listStatus(out);
            for (FileStatus e : entries) {
                String n = e.getPath().getName();
                boolean ours = n.startsWith("part-") || n.startsWith(".part-") || n.equals(FeatureShards.SUCCESS)
                        || n.equals("." + FeatureShards.SUCCESS + ".crc") || n.equals("_temporary");
                if (!ours) {
                    throw new CaptionerException(out + ": exists and holds " + e.getPath().getName()
                            + ", which is not a feature shard; choose another --out or empty it");
                }
            }
            if (!fs.delete(out, true)) {
                throw new IOException("delete returned false");
            }
        } catch (IOException e) {
            throw new CaptionerException(out + ": cannot replace the previous feature shards: " + e.getMessage(), e);
        }
    }

    /** Counts rows and failures from the committed shard indexes. */
    private static Summary summarize(Path out, Configuration conf, int[] shape, double seconds) {
        long rows = 0;
        long failed = 0;
        int shards = 0;
        try {
            FileSystem fs = out.getFileSystem(conf);
            List<FileStatus> indexes = new ArrayList<>();
            for (FileStatus s : fs.listStatus(out)) {
                String n = s.getPath().getName();
                if (n.endsWith(FeatureShards.INDEX_SUFFIX) && !n.startsWith(".") && !n.startsWith("_")) {
                    indexes.add(s);
                }
            }
            for (FileStatus s : indexes) {
                try (InputStream in = fs.open(s.getPath())) {
                    FeatureShards.Shard shard = FeatureShards.Shard.read(in, s.getPath().toString());
                    rows += shard.rows().size();
                    failed += shard.failed().size();
                    shards++;
                }
            }
        } catch (IOException e) {
            throw new CaptionerException(out + ": cannot read the shard indexes back: " + e.getMessage(), e);
        }
        return new Summary(rows + failed, rows, failed, seconds, shape, shards);
    }

    /**
     * Runs the command line and exits the JVM with its exit code.
     *
     * @param args see {@code --help}
     */
    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /**
     * Runs the command line without exiting the JVM; tests call this. A running session is used
     * and left running; otherwise one is started and stopped.
     *
     * @param args see {@code --help}
     * @param out receives the summary line
     * @param err receives errors
     * @return the exit code: 0 done, 1 runtime error, 2 usage error
     */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        return SparkJobs.execute(new ExtractFeatures(), args, out, err);
    }

    @Override
    public Integer call() {
        Options options;
        try {
            options = Options.builder().setEncoder(encoder).setWeights(weights).setImages(images).setOut(out)
                    .optSpatial(spatial).optBatchSize(batchSize).optShardRows(shardRows).optMaxBytes(maxBytes).build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        try (SparkJobs.Session session = SparkJobs.session("captioner ExtractFeatures", master)) {
            Summary summary = run(session.spark(), options);
            spec.commandLine().getOut().println(summary.toJson());
            spec.commandLine().getOut().flush();
        }
        return SparkJobs.EXIT_OK;
    }
}
