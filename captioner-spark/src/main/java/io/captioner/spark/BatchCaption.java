package io.captioner.spark;

import com.google.gson.JsonObject;
import com.google.gson.stream.JsonWriter;
import io.captioner.CaptionerException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

/**
 * The batch captioning job: every image under a path (any Hadoop file system, read recursively
 * with Spark's {@code binaryFile} source) to a table of captions, embedded by default
 * ({@code local[*]}) or on any cluster under {@code spark-submit}.
 *
 * <p>It writes {@code OUT/captions/} in Parquet (default) or JSON lines through Spark's writer and
 * output committer, with columns {@code path}, {@code image_id} (the file name), {@code caption},
 * {@code score} (total natural-log probability), {@code tokens} and {@code error}; then
 * {@code OUT/results.json}, the captioned images in COCO results format ({@code [{"image_id",
 * "caption"}]}, sorted by image id) that {@code captioner score} reads; and ends with one JSON line
 * on stdout: {@code images}, {@code captioned}, {@code failed}, {@code seconds},
 * {@code images_per_second}. A corrupt, truncated, non-image or oversized file becomes a row with
 * {@code error} set and counts as failed; the job carries on. Both outputs are replaced by a second
 * run into the same directory; nothing else in it is touched. A model that cannot be read fails on
 * the driver before any task starts, naming it.
 *
 * <pre>{@code
 * captioner-spark/run.sh --model M --images PATH --out DIR [--master local[*]] [--beam K] [--format parquet|json]
 * spark-submit --class io.captioner.spark.BatchCaption captioner-spark/target/captioner-spark.jar --model ...
 * }</pre>
 * Exit codes: 0 done (failed images included), 1 runtime error, 2 usage error.
 */
@Command(name = "BatchCaption", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Captions every image under a path on Spark. Writes OUT/captions (Parquet",
            "or JSON lines), OUT/results.json (COCO results) and one JSON line on stdout."})
public final class BatchCaption implements Callable<Integer> {

    /** Name of the captions table under the output directory. */
    public static final String CAPTIONS_DIR = "captions";
    /** Name of the COCO results file under the output directory. */
    public static final String RESULTS_FILE = "results.json";

    /** The format of the captions table. */
    public enum Format {
        /** Apache Parquet (Spark's default). */
        PARQUET,
        /** JSON lines, one object per image. */
        JSON;

        String sparkName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @Spec private CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "M",
            description = "Model artifact (directory or .zip): a path on every node, a file shipped with --files, "
                    + "or an hdfs:// or s3a:// URI.")
    private String model;

    @Option(names = "--images", required = true, paramLabel = "PATH",
            description = "Image file or directory (read recursively), on any Hadoop file system.")
    private String images;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    private String out;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master (default: the one spark-submit sets, else local[*]).")
    private String master;

    @Option(names = "--beam", paramLabel = "K", description = "Beam width (default: the model's decoding).")
    private Integer beam;

    @Option(names = "--max-length", paramLabel = "N", description = "Most words per caption (default: the model's).")
    private Integer maxLength;

    @Option(names = "--format", defaultValue = "parquet", paramLabel = "FORMAT",
            description = "parquet or json (default: ${DEFAULT-VALUE}).")
    private Format format;

    @Option(names = "--batch-size", defaultValue = "16", paramLabel = "N",
            description = "Images per captionAll call in a task (default: ${DEFAULT-VALUE}).")
    private int batchSize;

    @Option(names = "--max-bytes", defaultValue = "268435456", paramLabel = "N",
            description = "Larger files become error rows without being read (default: ${DEFAULT-VALUE}).")
    private long maxBytes;

    /**
     * What to run.
     *
     * @param model the model artifact's location (see {@link CaptionTransformer#setModelUri})
     * @param images a file or directory of images, any Hadoop path
     * @param out the output directory, any Hadoop path
     * @param beam the beam width, or null for the model's decoding
     * @param maxLength the most words per caption, or null for the model's
     * @param format the captions table's format
     * @param batchSize images per {@code captionAll} call, at least 1
     * @param maxBytes files larger than this many bytes become error rows unread, at least 1
     */
    public record Options(String model, String images, String out, Integer beam, Integer maxLength, Format format,
            int batchSize, long maxBytes) {

        /**
         * Validates the options.
         *
         * @param model see the record description
         * @param images see the record description
         * @param out see the record description
         * @param beam see the record description
         * @param maxLength see the record description
         * @param format see the record description
         * @param batchSize see the record description
         * @param maxBytes see the record description
         * @throws IllegalArgumentException naming the first invalid option and its value
         */
        public Options {
            if (model == null || images == null || out == null || format == null) {
                throw new IllegalArgumentException("model, images, out and format are required");
            }
            if (beam != null && beam < 1) {
                throw new IllegalArgumentException("--beam must be at least 1, found " + beam);
            }
            if (maxLength != null && maxLength < 1) {
                throw new IllegalArgumentException("--max-length must be at least 1, found " + maxLength);
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("--batch-size must be at least 1, found " + batchSize);
            }
            if (maxBytes < 1) {
                throw new IllegalArgumentException("--max-bytes must be at least 1, found " + maxBytes);
            }
        }

        /**
         * Creates a builder with the defaults: the model's decoding, Parquet, batches of 16, files up
         * to 256 MiB.
         *
         * @return a new builder
         */
        public static Builder builder() {
            return new Builder();
        }

        /** Collects the options; setters may be called in any order. */
        public static final class Builder {
            private String model;
            private String images;
            private String out;
            private Integer beam;
            private Integer maxLength;
            private Format format = Format.PARQUET;
            private int batchSize = CaptionTransformer.DEFAULT_BATCH_SIZE;
            private long maxBytes = SparkJobs.DEFAULT_MAX_BYTES;

            private Builder() {}

            /**
             * Sets the model artifact (required).
             *
             * @param value see {@link Options#model()}
             * @return this builder
             */
            public Builder setModel(String value) {
                model = value;
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
             * Sets the beam width (default: the model's decoding).
             *
             * @param value see {@link Options#beam()}
             * @return this builder
             */
            public Builder optBeam(Integer value) {
                beam = value;
                return this;
            }

            /**
             * Sets the most words per caption (default: the model's).
             *
             * @param value see {@link Options#maxLength()}
             * @return this builder
             */
            public Builder optMaxLength(Integer value) {
                maxLength = value;
                return this;
            }

            /**
             * Sets the captions table's format (default Parquet).
             *
             * @param value see {@link Options#format()}
             * @return this builder
             */
            public Builder optFormat(Format value) {
                format = value;
                return this;
            }

            /**
             * Sets the images per {@code captionAll} call (default 16).
             *
             * @param value see {@link Options#batchSize()}
             * @return this builder
             */
            public Builder optBatchSize(int value) {
                batchSize = value;
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
                return new Options(model, images, out, beam, maxLength, format, batchSize, maxBytes);
            }
        }
    }

    /**
     * What a run did.
     *
     * @param images the files found
     * @param captioned the files captioned
     * @param failed the files that became error rows
     * @param seconds wall-clock seconds of the job (reading, captioning, writing both outputs), model
     *     loading on the driver excluded
     */
    public record Summary(long images, long captioned, long failed, double seconds) {

        /**
         * Returns the throughput.
         *
         * @return images per second of the job, 0 for an empty job
         */
        public double imagesPerSecond() {
            return seconds > 0 ? images / seconds : 0;
        }

        /**
         * Formats the summary as one line of JSON: {@code images}, {@code captioned}, {@code failed},
         * {@code seconds}, {@code images_per_second}.
         *
         * @return the JSON text
         */
        public String toJson() {
            JsonObject o = new JsonObject();
            o.addProperty("images", images);
            o.addProperty("captioned", captioned);
            o.addProperty("failed", failed);
            o.addProperty("seconds", Math.round(seconds * 1000) / 1000.0);
            o.addProperty("images_per_second", Math.round(imagesPerSecond() * 100) / 100.0);
            return o.toString();
        }
    }

    /**
     * Runs the job on a session.
     *
     * @param spark the session (embedded or a cluster's)
     * @param options what to run
     * @return the counts and the time taken
     * @throws CaptionerException if the model cannot be found or read (before any task starts) or
     *     the results file cannot be written
     * @throws IllegalArgumentException if the decoding options do not fit the model
     */
    public static Summary run(SparkSession spark, Options options) {
        CaptionTransformer captioner = new CaptionTransformer().setModelUri(options.model())
                .setBatchSize(options.batchSize()).setOutputCol("c");
        if (options.beam() != null) {
            captioner.setBeamSize(options.beam());
        }
        if (options.maxLength() != null) {
            captioner.setMaxLength(options.maxLength());
        }
        // Loads the model on the driver (and, embedded, for the tasks too) before Spark lists a file.
        captioner.prepare(spark);
        long start = System.nanoTime();

        Dataset<Row> files = SparkJobs.images(spark, options.images());
        long maxBytes = options.maxBytes();
        Dataset<Row> captions = captioner.transform(files.where(col("length").leq(maxBytes)).select("path", "content"))
                .select(col("path"), SparkJobs.imageId(col("path")).as("image_id"), col("c.caption").as("caption"),
                        col("c.score").as("score"), col("c.tokens").as("tokens"), col("c.error").as("error"));
        Dataset<Row> tooLarge = files.where(col("length").gt(maxBytes)).select(col("path"),
                SparkJobs.imageId(col("path")).as("image_id"), lit(null).cast(DataTypes.StringType).as("caption"),
                lit(null).cast(DataTypes.DoubleType).as("score"),
                lit(null).cast(DataTypes.createArrayType(DataTypes.StringType, false)).as("tokens"),
                functions.concat(col("path"), lit(": file of "), col("length").cast("string"),
                        lit(" bytes exceeds the limit of " + maxBytes + " bytes (--max-bytes)")).as("error"));
        Dataset<Row> rows = captions.unionByName(tooLarge);
        StructType schema = rows.schema();
        String table = new Path(options.out(), CAPTIONS_DIR).toString();
        rows.write().mode(SaveMode.Overwrite).format(options.format().sparkName()).save(table);

        Dataset<Row> written = spark.read().schema(schema).format(options.format().sparkName()).load(table);
        Row counts = written.agg(functions.count(lit(1)), functions.count(col("error"))).first();
        long total = counts.getLong(0);
        long failed = counts.getLong(1);
        writeResults(spark, written, new Path(options.out(), RESULTS_FILE));
        return new Summary(total, total - failed, failed, (System.nanoTime() - start) / 1e9);
    }

    /** Writes the captioned rows as COCO results, streaming them from the executors, then renames into place. */
    private static void writeResults(SparkSession spark, Dataset<Row> written, Path target) {
        Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp");
        try {
            FileSystem fs = target.getFileSystem(spark.sparkContext().hadoopConfiguration());
            try (OutputStream os = fs.create(tmp, true);
                    JsonWriter json = new JsonWriter(new OutputStreamWriter(os, StandardCharsets.UTF_8))) {
                json.beginArray();
                // One task sorts (spilling to disk if it must) and one job streams the rows here;
                // a global sort would cost a job per partition in toLocalIterator.
                Iterator<Row> it = written.where(col("error").isNull()).select("image_id", "caption")
                        .coalesce(1).sortWithinPartitions("image_id").toLocalIterator();
                while (it.hasNext()) {
                    Row r = it.next();
                    json.beginObject().name("image_id").value(r.getString(0)).name("caption").value(r.getString(1))
                            .endObject();
                }
                json.endArray();
            }
            fs.delete(target, false);
            if (!fs.rename(tmp, target)) {
                throw new IOException("rename of " + tmp + " failed");
            }
        } catch (IOException e) {
            throw new CaptionerException(target + ": cannot write the COCO results: " + e.getMessage(), e);
        }
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
     * Runs the command line without exiting the JVM; tests call this. A running session (a test's,
     * a notebook's) is used and left running; otherwise one is started and stopped.
     *
     * @param args see {@code --help}
     * @param out receives the summary line
     * @param err receives errors
     * @return the exit code: 0 done, 1 runtime error, 2 usage error
     */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        return SparkJobs.execute(new BatchCaption(), args, out, err);
    }

    @Override
    public Integer call() {
        Options options;
        try {
            options = Options.builder().setModel(model).setImages(images).setOut(out).optBeam(beam)
                    .optMaxLength(maxLength).optFormat(format).optBatchSize(batchSize).optMaxBytes(maxBytes).build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        try (SparkJobs.Session session = SparkJobs.session("captioner BatchCaption", master)) {
            Summary summary = run(session.spark(), options);
            spec.commandLine().getOut().println(summary.toJson());
            spec.commandLine().getOut().flush();
        }
        return SparkJobs.EXIT_OK;
    }
}
