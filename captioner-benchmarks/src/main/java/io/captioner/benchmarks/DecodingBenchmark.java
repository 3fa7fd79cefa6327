package io.captioner.benchmarks;

import ai.djl.Device;
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
 * Decoding a batch of images for exactly {@link Workloads#STEPS} steps, with the implementation
 * as a parameter ({@link Decoding#create}): {@code impl=project} is the project's
 * {@code LstmCaptionDecoder} (random weights) driven by its {@code GreedySearch}/{@code BeamSearch}
 * (see {@link ProjectDecoding} for how the length is fixed; {@code @Setup} verifies the step
 * count), {@code impl=naive} the naive per-step DJL loop ({@link NaiveDecoder}, baseline (a) of
 * issue 8). Score: milliseconds per decode of the whole batch; divide by 16 for the time per step.
 * The project's decoder allocates on DJL's default device, so its {@code device=cpu} on a GPU
 * machine still runs on the GPU; the naive loop follows {@code device}.
 *
 * <p>{@code precision} and {@code kernel} choose the project decoder's {@code InferenceSettings}
 * (weights in float32, bfloat16 or int8; PyTorch, Vector API or plain Java for steps of at most 16
 * rows). The Vector API kernel needs the JVM option {@code --add-modules jdk.incubator.vector}
 * ({@code run.sh} passes it); without it {@code vector} runs as {@code scalar}.
 *
 * <p>Run alone: {@code java --add-modules jdk.incubator.vector -Dai.djl.offline=true -jar
 * captioner-benchmarks/target/benchmarks.jar DecodingBenchmark -p impl=project,naive -p
 * model=flickr8k -p search=greedy -p batch=1 -p precision=fp32,int8 -p kernel=torch,vector}. A
 * {@code device=gpu} configuration fails in setup with the reason, and reports no time, when DJL
 * sees no CUDA device.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DecodingBenchmark {

    /** {@code project} (the SDK's decoder and search) or {@code naive} (the per-step DJL loop). */
    @Param({Decoding.PROJECT, Decoding.NAIVE})
    public String impl;

    /** Decoder sizes: {@code flickr8k} (V 2,533) or {@code large} (V 10,000). */
    @Param({"flickr8k", "large"})
    public String model;

    /** {@code greedy} or {@code beamK}. */
    @Param({"greedy", "beam3", "beam5", "beam10"})
    public String search;

    /** Images per decode call. */
    @Param({"1", "16", "64"})
    public int batch;

    /** {@code cpu} or {@code gpu}. */
    @Param({Devices.CPU})
    public String device;

    /**
     * The project decoder's weight precision: {@code fp32}, {@code bf16} or {@code int8} (the naive
     * loop is float32 whatever this says; the suite runs it at {@code fp32} only).
     */
    @Param({"fp32"})
    public String precision;

    /**
     * The project decoder's few-row kernel: {@code auto} (the SDK's default), {@code torch}, {@code
     * vector} or {@code scalar} (ignored by the naive loop; see {@code StepKernel}).
     */
    @Param({"auto"})
    public String kernel;

    private Decoding decoding;
    private float[][] features;

    /**
     * Builds the chosen implementation with random weights and the input features, and checks the
     * step count.
     *
     * @throws IllegalStateException for {@code device=gpu} without a CUDA device, or a decode that
     *     does not make 16 steps
     */
    @Setup(Level.Trial)
    public void setUp() {
        Device d = Devices.resolve(device);
        ModelShape shape = ModelShape.of(model);
        features = Workloads.features(batch, shape.featureSize(), 7);
        decoding = Decoding.create(impl, shape, search, d, ProjectDecoding.settings(precision, kernel));
        try {
            decoding.checkFixedSteps(features);
        } catch (RuntimeException e) {
            // JMH skips the trial's teardown when setup fails: free the weights here
            tearDown();
            throw e;
        }
    }

    /**
     * Decodes the batch once.
     *
     * @return the implementation's output, so the work cannot be eliminated
     */
    @Benchmark
    public Object decode() {
        return decoding.decode(features);
    }

    /** Frees the decoder's weights. */
    @TearDown(Level.Trial)
    public void tearDown() {
        if (decoding != null) {
            decoding.close();
            decoding = null;
        }
    }
}
