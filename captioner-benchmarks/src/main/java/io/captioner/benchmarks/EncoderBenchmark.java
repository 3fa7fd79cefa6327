package io.captioner.benchmarks;

import io.captioner.models.encoder.BlockEncoder;
import io.captioner.models.encoder.EncoderOptions;
import io.captioner.models.encoder.Encoders;
import io.captioner.models.encoder.TorchvisionArch;
import io.captioner.models.image.ImageLoader;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
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
 * The project's VGG-16 and ResNet-50 encoders ({@code Encoders.torchvision}, random weights) on a
 * batch of images: either already preprocessed tensors ({@code input=tensor}, the network alone) or
 * JPEG bytes ({@code input=jpeg}: {@code ImageLoader} decode, torchvision preprocessing, network).
 * Score: milliseconds per batch.
 *
 * <p>Run alone: {@code java -Dai.djl.offline=true -jar captioner-benchmarks/target/benchmarks.jar
 * EncoderBenchmark -p arch=resnet50 -p batch=8}. A {@code device=gpu} configuration fails in setup
 * with the reason, and reports no time, when DJL sees no CUDA device (the encoder uses DJL's
 * default device).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EncoderBenchmark {

    /** {@code vgg16} or {@code resnet50}. */
    @Param({"vgg16", "resnet50"})
    public String arch;

    /** Images per call. */
    @Param({"1", "8"})
    public int batch;

    /** {@code tensor} (preprocessed) or {@code jpeg} (decode + preprocess included). */
    @Param({"tensor", "jpeg"})
    public String input;

    /** {@code cpu} or {@code gpu}. */
    @Param({Devices.CPU})
    public String device;

    private BlockEncoder encoder;
    private final ImageLoader loader = ImageLoader.standard();
    private final List<byte[]> jpegs = new ArrayList<>();
    private float[] tensors;

    /** Builds the encoder from random weights and prepares the inputs. */
    @Setup(Level.Trial)
    public void setUp() {
        Devices.resolve(device);
        TorchvisionArch a = TorchvisionArch.of(arch);
        encoder = Encoders.torchvision(a, RandomWeights.npz(a), EncoderOptions.defaults().withBatchSize(batch));
        int side = encoder.preprocessing().crop();
        int plane = 3 * side * side;
        tensors = new float[batch * plane];
        for (int i = 0; i < batch; i++) {
            byte[] bytes = Images.jpeg(i);
            jpegs.add(bytes);
            encoder.preprocessing().toTensor(loader.decode(bytes, "synthetic-" + i + ".jpg"), tensors, i * plane);
        }
    }

    /**
     * Encodes the batch once.
     *
     * @return the feature vectors
     */
    @Benchmark
    public float[][] forward() {
        if (input.equals("tensor")) {
            return encoder.encodePreprocessed(tensors, batch);
        }
        List<BufferedImage> images = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
            images.add(loader.decode(jpegs.get(i), "synthetic-" + i + ".jpg"));
        }
        return encoder.encode(images);
    }

    /** Frees the encoder. */
    @TearDown(Level.Trial)
    public void tearDown() {
        if (encoder != null) {
            encoder.close();
            encoder = null;
        }
    }
}
