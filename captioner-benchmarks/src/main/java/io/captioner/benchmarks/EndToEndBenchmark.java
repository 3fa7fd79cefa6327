package io.captioner.benchmarks;

import io.captioner.Caption;
import io.captioner.models.decoder.LstmCaptionDecoder;
import io.captioner.models.encoder.BlockEncoder;
import io.captioner.models.encoder.EncoderOptions;
import io.captioner.models.encoder.Encoders;
import io.captioner.models.encoder.TorchvisionArch;
import io.captioner.models.image.ImageLoader;
import io.captioner.search.CaptionSearch;
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
 * Latency of one caption from JPEG bytes: {@code ImageLoader} decode, torchvision preprocessing and
 * ResNet-50 ({@code Encoders.torchvision}, random weights), then the project's LSTM decoder
 * (Flickr8k sizes, random weights) with beam search k = 3 for a fixed 16 steps, then the token ids
 * turned into words. Score: milliseconds per caption.
 *
 * <p>Run alone: {@code java -Dai.djl.offline=true -jar captioner-benchmarks/target/benchmarks.jar
 * EndToEndBenchmark}. A {@code device=gpu} configuration fails in setup with the reason, and
 * reports no time, when DJL sees no CUDA device.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EndToEndBenchmark {

    /** {@code cpu} or {@code gpu}. */
    @Param({Devices.CPU})
    public String device;

    private BlockEncoder encoder;
    private LstmCaptionDecoder decoder;
    private CaptionSearch search;
    private final ImageLoader loader = ImageLoader.standard();
    private byte[] jpeg;

    /** Builds ResNet-50 and the decoder from random weights and makes the JPEG input. */
    @Setup(Level.Trial)
    public void setUp() {
        Devices.resolve(device);
        encoder = Encoders.torchvision(TorchvisionArch.RESNET50, RandomWeights.npz(TorchvisionArch.RESNET50),
                EncoderOptions.defaults().withBatchSize(1));
        ModelShape shape = ModelShape.FLICKR8K;
        decoder = ProjectDecoding.decoder(shape, 1);
        search = ProjectDecoding.search("beam3");
        jpeg = Images.jpeg(11);
        ProjectDecoding.checkFixedSteps(decoder, search, Workloads.features(1, shape.featureSize(), 1));
    }

    /**
     * Captions the JPEG once.
     *
     * @return the caption
     */
    @Benchmark
    public Caption caption() {
        float[][] features = encoder.encode(List.of(loader.decode(jpeg, "synthetic.jpg")));
        return search.decode(decoder, features[0]).toCaption(id -> "w" + id);
    }

    /** Frees the encoder and the decoder. */
    @TearDown(Level.Trial)
    public void tearDown() {
        if (encoder != null) {
            encoder.close();
            encoder = null;
        }
        if (decoder != null) {
            decoder.close();
            decoder = null;
        }
    }
}
