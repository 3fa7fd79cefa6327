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
 * The experiment behind the hot-loop recommendation: the same decoding as
 * {@link ProjectDecodingBenchmark} (same search, same weights, same fixed 16 steps) with the
 * project decoder's step replaced by {@link FusedStepDecoder} (one fused gate GEMM and element-wise
 * cell instead of DJL's LSTM block). Score: milliseconds per decode of the whole batch.
 *
 * <p>Run alone: {@code java -Dai.djl.offline=true -jar captioner-benchmarks/target/benchmarks.jar
 * FusedDecodingBenchmark -p model=flickr8k -p search=greedy -p batch=1}. The {@code gpu} device
 * does no work, with a printed reason, when DJL sees no CUDA device.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FusedDecodingBenchmark {

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

    private LstmCaptionDecoder source;
    private FusedStepDecoder decoder;
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
        source = ProjectDecoding.decoder(shape, 1);
        decoder = new FusedStepDecoder(source);
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

    /** Frees both decoders' weights. */
    @TearDown(Level.Trial)
    public void tearDown() {
        if (decoder != null) {
            decoder.close();
            source.close();
            decoder = null;
            source = null;
        }
    }
}
