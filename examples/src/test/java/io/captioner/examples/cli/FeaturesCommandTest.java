package io.captioner.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import io.captioner.models.encoder.TorchvisionArch;
import io.captioner.models.encoder.TorchvisionNetwork;
import io.captioner.models.npy.Npy;
import io.captioner.models.npy.NpyArray;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code captioner features}: .npy output layout, row order and error exit codes. */
@Tag("slow")
class FeaturesCommandTest {

    @TempDir static Path dir;
    static Path weights;
    static Path red;
    static Path noise;

    /** Writes ResNet-50 weights (small random values) using the network's own key table. */
    @BeforeAll
    static void setUp() throws IOException {
        weights = dir.resolve("resnet50.npz");
        Random random = new Random(1);
        TorchvisionNetwork net = TorchvisionNetwork.create(TorchvisionArch.RESNET50);
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager();
                OutputStream fos = Files.newOutputStream(weights);
                ZipOutputStream zip = new ZipOutputStream(fos)) {
            net.initialize(manager);
            zip.setLevel(1);
            for (Map.Entry<String, Parameter> e : net.parameters().parameters().entrySet()) {
                long[] shape = e.getValue().getArray().getShape().getShape();
                float[] data = new float[(int) Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
                boolean variance = e.getKey().endsWith("running_var");
                for (int i = 0; i < data.length; i++) {
                    data[i] = variance ? 1f : (float) (random.nextGaussian() * 0.02);
                }
                zip.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
                Npy.writeFloat32(zip, shape, data);
                zip.closeEntry();
            }
        }
        red = image("red.png", 300, 200, (x, y) -> 0xD02020);
        Random r = new Random(2);
        noise = image("noise.png", 240, 320, (x, y) -> r.nextInt(0xFFFFFF));
    }

    interface Pixel {
        int rgb(int x, int y);
    }

    static Path image(String name, int w, int h, Pixel pixel) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, pixel.rgb(x, y));
            }
        }
        Path p = dir.resolve(name);
        ImageIO.write(img, "png", p.toFile());
        return p;
    }

    @Test
    void writesFloat32RowsInArgumentOrder() {
        Path out = dir.resolve("f.npy");
        CliRun run = CliRun.of("features", "--encoder", "resnet50", "--weights", weights.toString(),
                "--out", out.toString(), "--batch-size", "2", red.toString(), noise.toString(), red.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        NpyArray a = Npy.read(out);
        assertThat(a.shape()).containsExactly(3, 2048);
        float[] f = a.toFloatArray();
        float[] row0 = Arrays.copyOfRange(f, 0, 2048);
        float[] row1 = Arrays.copyOfRange(f, 2048, 4096);
        float[] row2 = Arrays.copyOfRange(f, 4096, 6144);
        assertThat(row2).containsExactly(row0);
        assertThat(row1).isNotEqualTo(row0);
        assertThat(run.err()).contains("wrote").contains("[3, 2048]");
    }

    @Test
    void missingImageFailsWithExitOneNamingIt() {
        CliRun run = CliRun.of("features", "--encoder", "resnet50", "--weights", weights.toString(),
                "--out", dir.resolve("x.npy").toString(), dir.resolve("absent.jpg").toString());
        assertThat(run.exitCode()).isEqualTo(CaptionerCli.EXIT_RUNTIME);
        assertThat(run.err()).contains("absent.jpg: image file not found");
        assertThat(dir.resolve("x.npy")).doesNotExist();
    }

    @Test
    void weightsOfTheOtherArchitectureFailNamingKeys() {
        CliRun run = CliRun.of("features", "--encoder", "vgg16", "--weights", weights.toString(),
                "--out", dir.resolve("v.npy").toString(), red.toString());
        assertThat(run.exitCode()).isEqualTo(CaptionerCli.EXIT_RUNTIME);
        assertThat(run.err()).contains("resnet50.npz: weights do not match the architecture")
                .contains("missing key(s) [features.0.weight");
    }

    @Test
    void unknownEncoderIsAUsageError() {
        CliRun run = CliRun.of("features", "--encoder", "alexnet", "--weights", weights.toString(),
                "--out", dir.resolve("a.npy").toString(), red.toString());
        assertThat(run.exitCode()).isEqualTo(CaptionerCli.EXIT_USAGE);
        assertThat(run.err()).contains("unknown architecture 'alexnet', expected one of vgg16, resnet50");
    }
}
