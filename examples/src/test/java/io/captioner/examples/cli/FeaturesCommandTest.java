package io.captioner.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.captioner.models.encoder.TorchvisionArch;
import io.captioner.models.npy.Npy;
import io.captioner.models.npy.NpyArray;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
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
        weights = RandomWeights.write(TorchvisionArch.RESNET50, dir.resolve("resnet50.npz"), 1);
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
