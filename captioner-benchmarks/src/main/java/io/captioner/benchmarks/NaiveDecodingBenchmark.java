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
 * Decoding a batch of images for exactly {@link Workloads#STEPS} steps with the naive per-step DJL
 * loop ({@link NaiveDecoder}, baseline (a) of issue 8). Score: milliseconds per decode of the
 * whole batch; divide by 16 for the time per step.
 *
 * <p>Run alone: {@code java -Dai.djl.offline=true -jar captioner-benchmarks/target/benchmarks.jar
 * NaiveDecodingBenchmark -p model=flickr8k -p search=greedy -p batch=1}. The {@code gpu} device
 * does no work, with a printed reason, when DJL sees no CUDA device.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class NaiveDecodingBenchmark {

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
    @Param({"cpu"})
    public String device;

    private NaiveDecoder decoder;
    private float[][] features;
    private int beam;

    /** Builds the random-weight decoder and the input features. */
    @Setup(Level.Trial)
    public void setUp() {
        Device d = Devices.resolve(device);
        if (d == null) {
            return;
        }
        ModelShape shape = ModelShape.of(model);
        beam = Workloads.beamWidth(search);
        decoder = new NaiveDecoder(shape, d, 1);
        features = Workloads.features(batch, shape.featureSize(), 7);
    }

    /**
     * Decodes the batch once.
     *
     * @return the tokens, so the work cannot be eliminated
     */
    @Benchmark
    public long[][] decode() {
        if (decoder == null) {
            return null;
        }
        return beam == 1 ? decoder.greedy(features, Workloads.STEPS)
                : decoder.beam(features, beam, Workloads.STEPS);
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
