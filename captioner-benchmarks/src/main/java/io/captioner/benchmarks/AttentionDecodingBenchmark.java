package io.captioner.benchmarks;

import io.captioner.models.decoder.AttentionCaptionDecoder;
import io.captioner.search.CaptionSearch;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decoding a batch with the project's Show-Attend-Tell decoder ({@code AttentionCaptionDecoder},
 * random weights, Flickr8k sizes: V 2,541, attention, embedding and hidden 512) for exactly {@link
 * Workloads#STEPS} steps (issue 15), over ResNet-50's 7×7×2048 or VGG-16's 14×14×512 map. The suite
 * compares it with its own roofline: the step's weights plus each image's map and encoder
 * projection, read once ({@link AttentionShape}). Score: milliseconds per decode of the whole
 * batch; divide by 16 for the time per step. The decoder allocates on DJL's default device.
 *
 * <p>{@code kernel} picks the steps of at most 16 rows: the block's PyTorch step, or the Java
 * kernels (Vector API, scalar) over a copy of the weights.
 *
 * <p>Run alone: {@code java --add-modules jdk.incubator.vector -Dai.djl.offline=true -jar
 * captioner-benchmarks/target/benchmarks.jar AttentionDecodingBenchmark -p map=vgg16 -p batch=1 -p
 * kernel=torch,vector}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AttentionDecodingBenchmark {

    /** The map's encoder: {@code resnet50} (7×7×2048) or {@code vgg16} (14×14×512). */
    @Param({"resnet50", "vgg16"})
    public String map;

    /** {@code greedy} or {@code beamK}. */
    @Param({"greedy", "beam5"})
    public String search;

    /** Images per decode call. */
    @Param({"1", "64"})
    public int batch;

    /** {@code cpu} or {@code gpu}. */
    @Param({Devices.CPU})
    public String device;

    /**
     * The few-row kernel: {@code auto} (the SDK's default: the block's PyTorch step at float32),
     * {@code torch}, {@code vector} or {@code scalar} ({@code JavaAttentionWeights}).
     */
    @Param({"auto"})
    public String kernel;

    private AttentionCaptionDecoder decoder;
    private CaptionSearch captionSearch;
    private float[][] features;

    /**
     * Builds the decoder with random weights and the input maps, and checks the step count.
     *
     * @throws IllegalStateException for {@code device=gpu} without a CUDA device, or a decode that
     *     does not make 16 steps
     */
    @Setup(Level.Trial)
    public void setUp() {
        Devices.resolve(device);
        AttentionShape shape = AttentionShape.of(map);
        features = Workloads.features(batch, shape.featureSize(), 7);
        captionSearch = ProjectDecoding.search(search);
        decoder = AttentionCaptionDecoder.create(shape.config(), 1, ProjectDecoding.settings("fp32", kernel));
        try {
            ProjectDecoding.checkFixedSteps(decoder, captionSearch, features);
        } catch (RuntimeException e) {
            tearDown(); // JMH skips the trial's teardown when setup fails
            throw e;
        }
    }

    /**
     * Decodes the batch once.
     *
     * @return the search results, so the work cannot be eliminated
     */
    @Benchmark
    public Object decode() {
        return captionSearch.decode(decoder, features);
    }

    /** Frees the decoder's weights. */
    @TearDown(Level.Trial)
    public void tearDown() {
        if (decoder != null) {
            decoder.close();
            decoder = null;
        }
    }
}
