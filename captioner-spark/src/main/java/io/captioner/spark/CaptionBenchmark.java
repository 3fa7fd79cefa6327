package io.captioner.spark;

import com.google.gson.JsonObject;
import io.captioner.models.DjlCaptioner;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Measures what Spark costs: images per second of {@link BatchCaption} against {@code captionAll}
 * in the same JVM on the same cores, with the same model, images and batch size, and Spark's
 * per-job and per-task overheads. Not a test: timings need a quiet machine.
 *
 * <p>The plain run reads and decodes every file and calls {@code captionAll} batch by batch from
 * as many threads as Spark has task slots (the JVM's one shared captioner, PyTorch threads as
 * Spark's tasks get them), so both use the same cores the same way. The Spark run is
 * {@link BatchCaption#run} (listing, reading, captioning, writing Parquet and the results file).
 * Per-job overhead: a {@code BatchCaption} run over one image; per-task overhead: an empty job of
 * 200 tasks, wall time times slots per task. Each figure is the best of {@code --rounds} runs; the
 * rates' first run is a warm-up.
 *
 * <pre>{@code
 * captioner-spark/run.sh benchmark --model M --images DIR [--master local[2]] [--batch-size 16] [--beam K]
 * }</pre>
 * Ends with one JSON line: {@code images}, {@code slots}, {@code plain_images_per_second},
 * {@code spark_images_per_second}, {@code ratio}, {@code job_overhead_seconds},
 * {@code task_overhead_ms}.
 */
@Command(name = "CaptionBenchmark", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Images per second of BatchCaption against plain captionAll on the same",
            "cores, and Spark's per-job and per-task overheads; one JSON line."})
public final class CaptionBenchmark implements Callable<Integer> {

    private static final int OVERHEAD_TASKS = 200;

    @Spec private CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "M", description = "Model artifact.")
    private String model;

    @Option(names = "--images", required = true, paramLabel = "DIR", description = "A local directory of images.")
    private Path images;

    @Option(names = "--master", defaultValue = "local[2]", paramLabel = "URL",
            description = "Spark master, local only (default: ${DEFAULT-VALUE}).")
    private String master;

    @Option(names = "--batch-size", defaultValue = "16", paramLabel = "N",
            description = "Images per captionAll call, both runs (default: ${DEFAULT-VALUE}).")
    private int batchSize;

    @Option(names = "--beam", paramLabel = "K", description = "Beam width (default: the model's decoding).")
    private Integer beam;

    @Option(names = "--rounds", defaultValue = "3", paramLabel = "N",
            description = "Measured runs of each kind; the best counts (default: ${DEFAULT-VALUE}).")
    private int rounds;

    @Option(names = "--work", paramLabel = "DIR", description = "Scratch directory for the job's output "
            + "(default: a temporary directory).")
    private Path work;

    /**
     * The measurements.
     *
     * @param images images captioned per run
     * @param slots concurrent Spark tasks, and the plain run's threads
     * @param plainImagesPerSecond the plain run's rate
     * @param sparkImagesPerSecond the Spark job's rate
     * @param jobOverheadSeconds a whole job over one image
     * @param taskOverheadMillis one empty task
     */
    public record Result(int images, int slots, double plainImagesPerSecond, double sparkImagesPerSecond,
            double jobOverheadSeconds, double taskOverheadMillis) {

        /**
         * Returns the Spark job's rate as a fraction of the plain run's.
         *
         * @return spark / plain
         */
        public double ratio() {
            return sparkImagesPerSecond / plainImagesPerSecond;
        }

        /**
         * Formats the result as one line of JSON.
         *
         * @return the JSON text
         */
        public String toJson() {
            JsonObject o = new JsonObject();
            o.addProperty("images", images);
            o.addProperty("slots", slots);
            o.addProperty("plain_images_per_second", Math.round(plainImagesPerSecond * 100) / 100.0);
            o.addProperty("spark_images_per_second", Math.round(sparkImagesPerSecond * 100) / 100.0);
            o.addProperty("ratio", Math.round(ratio() * 1000) / 1000.0);
            o.addProperty("job_overhead_seconds", Math.round(jobOverheadSeconds * 1000) / 1000.0);
            o.addProperty("task_overhead_ms", Math.round(taskOverheadMillis * 100) / 100.0);
            return o.toString();
        }
    }

    /**
     * Runs the benchmark.
     *
     * @param spark a local session
     * @param model the model artifact
     * @param images a local directory of images (read recursively)
     * @param batchSize images per {@code captionAll} call
     * @param beam the beam width, or null for the model's decoding
     * @param rounds measured runs of each kind, at least 1
     * @param work a scratch directory for the job's output
     * @return the measurements
     */
    public static Result run(SparkSession spark, Path model, Path images, int batchSize, Integer beam, int rounds,
            Path work) {
        List<Path> files = list(images);
        if (files.isEmpty()) {
            throw new IllegalArgumentException(images + ": no files to caption");
        }
        int slots = spark.sparkContext().defaultParallelism();
        BatchCaption.Options.Builder job = BatchCaption.Options.builder().setModel(model.toString())
                .setImages(images.toString()).setOut(work.resolve("job").toString()).optBatchSize(batchSize)
                .optBeam(beam);
        CaptionTransformer transformer = new CaptionTransformer().setModelUri(model.toString()).setBatchSize(batchSize);
        if (beam != null) {
            transformer.setBeamSize(beam);
        }
        CaptionPartition.Decoding decoding = transformer.prepare(spark);
        DjlCaptioner captioner = ExecutorModels.captioner(model.toString(), batchSize,
                spark.sparkContext().getConf().getInt("spark.task.cpus", 1));
        io.captioner.DecodingOptions options = decoding.options(captioner.defaultOptions());

        double plain = 0;
        double sparkRate = 0;
        for (int round = 0; round <= rounds; round++) {
            double p = plainRate(captioner, options, files, batchSize, slots);
            double s = BatchCaption.run(spark, job.build()).imagesPerSecond();
            if (round > 0) {
                plain = Math.max(plain, p);
                sparkRate = Math.max(sparkRate, s);
            }
        }
        Path one = work.resolve("one-image");
        try {
            Files.createDirectories(one);
            Files.copy(files.get(0), one.resolve(files.get(0).getFileName()),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        double jobOverhead = Double.MAX_VALUE;
        double taskOverhead = Double.MAX_VALUE;
        // The runs above warmed Spark and the model up.
        for (int round = 0; round < rounds; round++) {
            jobOverhead = Math.min(jobOverhead, BatchCaption.run(spark, job.setImages(one.toString())
                    .setOut(work.resolve("one").toString()).build()).seconds());
            long t0 = System.nanoTime();
            spark.range(0, OVERHEAD_TASKS, 1, OVERHEAD_TASKS).javaRDD().foreachPartition(it -> { });
            taskOverhead = Math.min(taskOverhead, (System.nanoTime() - t0) / 1e6 / OVERHEAD_TASKS * slots);
        }
        return new Result(files.size(), slots, plain, sparkRate, jobOverhead, taskOverhead);
    }

    /** Reads, decodes and captions every file from {@code threads} threads, batch by batch; images per second. */
    private static double plainRate(DjlCaptioner captioner, io.captioner.DecodingOptions options, List<Path> files,
            int batchSize, int threads) {
        List<List<Path>> batches = new ArrayList<>();
        for (int i = 0; i < files.size(); i += batchSize) {
            batches.add(files.subList(i, Math.min(files.size(), i + batchSize)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long t0 = System.nanoTime();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (List<Path> batch : batches) {
                done.add(pool.submit(() -> {
                    List<BufferedImage> decoded = new ArrayList<>();
                    for (Path p : batch) {
                        try {
                            decoded.add(captioner.imageLoader().decode(Files.readAllBytes(p), p.toString()));
                        } catch (IOException | RuntimeException e) {
                            // Bad files cost the Spark job their decoding attempt too; skip them here.
                        }
                    }
                    return captioner.captionAll(decoded, options);
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdown();
        }
        return files.size() / ((System.nanoTime() - t0) / 1e9);
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted(Comparator.naturalOrder()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs the benchmark from the command line and exits with its code.
     *
     * @param args see {@code --help}
     */
    public static void main(String[] args) {
        System.exit(SparkJobs.execute(new CaptionBenchmark(), args, new PrintWriter(System.out, true),
                new PrintWriter(System.err, true)));
    }

    @Override
    public Integer call() throws IOException {
        if (rounds < 1 || batchSize < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--rounds and --batch-size must be at least 1");
        }
        Path scratch = work != null ? work : Files.createTempDirectory("captioner-benchmark");
        try (SparkJobs.Session session = SparkJobs.session("captioner CaptionBenchmark", master)) {
            Result r = run(session.spark(), Path.of(model), images, batchSize, beam, rounds,
                    scratch);
            spec.commandLine().getOut().println(r.toJson());
            spec.commandLine().getOut().flush();
        }
        return SparkJobs.EXIT_OK;
    }
}
