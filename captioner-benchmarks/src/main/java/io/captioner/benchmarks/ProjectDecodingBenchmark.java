package io.captioner.benchmarks;

import ai.djl.Device;
import io.captioner.models.decoder.LstmCaptionDecoder;
import io.captioner.search.CaptionSearch;
import io.captioner.search.SearchResult;
import java.util.List;
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
 * Decoding a batch of images for exactly {@link Workloads#STEPS} steps with the project's
 * {@code LstmCaptionDecoder} (random weights) driven by its {@code GreedySearch}/{@code BeamSearch}
 * (see {@link ProjectDecoding} for how the length is fixed; {@code @Setup} verifies the step
 * count). Score: milliseconds per decode of the whole batch; divide by 16 for the time per step.
 * The decoder allocates on DJL's default device, so {@code device=cpu} on a GPU machine still runs
 * on the GPU.
 *
 * <p>Run alone: {@code java -Dai.djl.offline=true -jar captioner-benchmarks/target/benchmarks.jar
 * ProjectDecodingBenchmark -p model=flickr8k -p search=greedy -p batch=1}. The {@code gpu} device
 * does no work, with a printed reason, when DJL sees no CUDA device.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ProjectDecodingBenchmark {

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

    private LstmCaptionDecoder decoder;
    private CaptionSearch captionSearch;
    private float[][] features;

    /** Builds the random-weight decoder, the search and the input features; checks the step count. */
    @Setup(Level.Trial)
    public void setUp() {
        Device d = Devices.resolve(device);
        if (d == null) {
            return;
        }
        ModelShape shape = ModelShape.of(model);
        decoder = ProjectDecoding.decoder(shape, 1);
        captionSearch = ProjectDecoding.search(search);
        features = Workloads.features(batch, shape.featureSize(), 7);
        ProjectDecoding.checkFixedSteps(decoder, captionSearch, features);
    }

    /**
     * Decodes the batch once.
     *
     * @return the results, so the work cannot be eliminated
     */
    @Benchmark
    public List<SearchResult> decode() {
        if (decoder == null) {
            return null;
        }
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
