package io.captioner.models.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.captioner.CaptionerException;
import io.captioner.models.image.Preprocessing;
import io.captioner.models.image.TestImages;
import io.captioner.models.npy.Npy;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ImageEncoder implementation: batching, memory, freezing, spatial maps, TorchScript. */
class BlockEncoderTest {

    @TempDir Path dir;

    private static List<BufferedImage> images(int n) {
        return java.util.stream.IntStream.range(0, n)
                .mapToObj(i -> TestImages.rgb(60 + 17 * i, 90 - 7 * i, i))
                .toList();
    }

    @Test
    void smallCnnGivesOneRowOfDPerImageIndependentOfBatching() {
        try (BlockEncoder batched = Encoders.smallCnn(64, 96, 8, EncoderOptions.DEFAULTS.withBatchSize(2))) {
            List<BufferedImage> imgs = images(5);
            float[][] rows = batched.encode(imgs);
            assertThat(batched.name()).isEqualTo("small-cnn");
            assertThat(batched.featureSize()).isEqualTo(96);
            assertThat(rows).hasNumberOfRows(5);
            for (int i = 0; i < imgs.size(); i++) {
                assertThat(rows[i]).hasSize(96);
                float[] single = batched.encode(imgs.get(i));
                for (int j = 0; j < 96; j++) {
                    assertThat(rows[i][j]).isCloseTo(single[j], within(1e-5f));
                }
            }
            assertThat(rows[0]).isNotEqualTo(rows[1]);
        }
    }

    @Tag("slow")
    @Test
    void nativeArrayCountStaysFlatOverManyEncodeCalls() {
        try (BlockEncoder encoder = Encoders.smallCnn(64, 32, 8, EncoderOptions.DEFAULTS.withBatchSize(3))) {
            List<BufferedImage> imgs = images(4);
            encoder.encode(imgs);
            encoder.encodeSpatial(imgs);
            int before = encoder.managedArrayCount();
            for (int i = 0; i < 40; i++) {
                encoder.encode(imgs);
                encoder.encodeSpatial(imgs.subList(0, 1));
            }
            assertThat(encoder.managedArrayCount()).isEqualTo(before);
        }
    }

    @Test
    void encodersAreFrozenByDefaultAndTrainableOnRequest() {
        try (BlockEncoder frozen = Encoders.smallCnn(64, 16, 4, EncoderOptions.DEFAULTS);
                BlockEncoder trainable = Encoders.smallCnn(64, 16, 4, new EncoderOptions(4, true))) {
            assertThat(frozen.block().getParameters().values()).noneMatch(p -> p.requiresGradient());
            assertThat(trainable.block().getParameters().values()).anyMatch(p -> p.requiresGradient());
        }
    }

    @Test
    void spatialMapHasOneRegionPerLocation() {
        try (BlockEncoder encoder = Encoders.smallCnn(64, 24, 4, EncoderOptions.DEFAULTS)) {
            float[][][] maps = encoder.encodeSpatial(images(2));
            assertThat(maps).hasNumberOfRows(2);
            assertThat(maps[0]).hasNumberOfRows(8 * 8);
            assertThat(maps[0][0]).hasSize(24);
            // the vector is the mean of the regions (global average pool)
            float[] vector = encoder.encode(images(2)).clone()[1];
            for (int c = 0; c < 24; c++) {
                double mean = 0;
                for (float[] region : maps[1]) {
                    mean += region[c] / 64.0;
                }
                assertThat(vector[c]).isCloseTo((float) mean, within(1e-4f));
            }
        }
    }

    @Tag("slow")
    @Test
    void torchvisionEncoderEncodesImagesThroughImagenetPreprocessing() throws IOException {
        Path weights = dir.resolve("r50.npz");
        TestNpz.writeConstant(weights, TestNpz.torchvisionKeys(TorchvisionArch.RESNET50), 0.002f);
        try (BlockEncoder encoder = Encoders.torchvision(TorchvisionArch.RESNET50, weights, EncoderOptions.DEFAULTS)) {
            assertThat(encoder.featureSize()).isEqualTo(2048);
            assertThat(encoder.preprocessing()).isEqualTo(Preprocessing.imagenet());
            List<BufferedImage> imgs = images(2);
            float[][] rows = encoder.encode(imgs);
            float[] batch = new float[2 * 3 * 224 * 224];
            for (int i = 0; i < 2; i++) {
                Preprocessing.imagenet().toTensor(imgs.get(i), batch, i * 3 * 224 * 224);
            }
            assertThat(encoder.encodePreprocessed(batch, 2)).isDeepEqualTo(rows);
            assertThat(encoder.block().getParameters().values()).noneMatch(p -> p.requiresGradient());
        }
    }

    @Test
    void missingWeightsFileIsReportedWithTheExportCommand() {
        assertThatThrownBy(() -> Encoders.torchvision(TorchvisionArch.VGG16, dir.resolve("none.npz"),
                EncoderOptions.DEFAULTS))
                .isInstanceOf(CaptionerException.class)
                .hasMessageContaining("none.npz: weights file not found")
                .hasMessageContaining("scripts/export_torchvision.py --arch vgg16");
    }

    @Test
    void closedEncoderRefusesWorkAndClosesOnlyOnce() {
        BlockEncoder encoder = Encoders.smallCnn(64, 8, 4, EncoderOptions.DEFAULTS);
        encoder.close();
        encoder.close();
        assertThatThrownBy(() -> encoder.encode(images(1))).isInstanceOf(IllegalStateException.class);
    }

    @Tag("slow")
    @Test
    void torchScriptModuleTracedByPythonGivesPythonsFeatures() throws IOException {
        PythonReference.assumeTorchvision();
        Path pt = dir.resolve("tiny.pt");
        Path input = dir.resolve("x.npy");
        float[] x = new float[2 * 3 * 32 * 32];
        java.util.Random random = new java.util.Random(9);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        Npy.writeFloat32(input, new long[] {2, 3, 32, 32}, x);
        PythonReference.python("-c", String.join("\n",
                "import sys, torch, numpy as np",
                "torch.manual_seed(1)",
                "m = torch.nn.Sequential(torch.nn.Conv2d(3, 6, 3), torch.nn.ReLU(),",
                "    torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten()).eval()",
                "x = torch.from_numpy(np.load(sys.argv[2]))",
                "t = torch.jit.trace(m, x)",
                "t.save(sys.argv[1])",
                "np.save(sys.argv[3], t(x).detach().numpy())"), pt, input, dir.resolve("y.npy"));
        float[] expected = Npy.read(dir.resolve("y.npy")).toFloatArray();
        Preprocessing pre = new Preprocessing(32, 32, new float[] {0, 0, 0}, new float[] {1, 1, 1});
        try (BlockEncoder encoder = Encoders.torchScript(pt, "tiny", pre, EncoderOptions.DEFAULTS)) {
            assertThat(encoder.featureSize()).isEqualTo(6);
            float[][] rows = encoder.encodePreprocessed(x, 2);
            for (int i = 0; i < 12; i++) {
                assertThat(rows[i / 6][i % 6]).isCloseTo(expected[i], within(1e-5f));
            }
            int before = encoder.managedArrayCount();
            for (int i = 0; i < 10; i++) {
                encoder.encode(images(2));
            }
            assertThat(encoder.managedArrayCount()).isEqualTo(before);
        }
    }

    @Test
    void torchScriptFileThatIsNotAModuleIsReported() throws IOException {
        Path bad = java.nio.file.Files.writeString(dir.resolve("bad.pt"), "nope");
        assertThatThrownBy(() -> Encoders.torchScript(bad, "bad", Preprocessing.imagenet(), EncoderOptions.DEFAULTS))
                .isInstanceOf(CaptionerException.class)
                .hasMessageContaining("bad.pt: cannot");
    }

    @Test
    void savedParametersReloadIntoAFreshEncoderAndReproduceItsFeatures() {
        Path file = dir.resolve("small.params");
        List<BufferedImage> imgs = images(2);
        float[][] expected;
        try (BlockEncoder a = Encoders.smallCnn(64, 16, 4, EncoderOptions.DEFAULTS)) {
            expected = a.encode(imgs);
            a.saveParameters(file);
        }
        try (BlockEncoder b = Encoders.smallCnn(64, 16, 4, EncoderOptions.DEFAULTS)) {
            assertThat(b.encode(imgs)).isNotEqualTo(expected);
            b.loadParameters(file);
            assertThat(b.encode(imgs)).isDeepEqualTo(expected);
            assertThat(b.block().getParameters().values()).noneMatch(p -> p.requiresGradient());
        }
    }

    @Test
    void savedParametersOfAnotherShapeAreRejectedNamingTheParameter() {
        Path file = dir.resolve("wide.params");
        try (BlockEncoder a = Encoders.smallCnn(64, 16, 8, EncoderOptions.DEFAULTS)) {
            a.saveParameters(file);
        }
        try (BlockEncoder b = Encoders.smallCnn(64, 16, 4, EncoderOptions.DEFAULTS)) {
            assertThatThrownBy(() -> b.loadParameters(file))
                    .isInstanceOf(CaptionerException.class)
                    .hasMessageContaining("wide.params: parameter '")
                    .hasMessageContaining("expected shape (4, 3, 3, 3), found (8, 3, 3, 3)");
        }
    }

    @Test
    void trainableEncoderReceivesGradientsForFineTuning() {
        try (BlockEncoder encoder = Encoders.smallCnn(64, 8, 4, new EncoderOptions(4, true));
                ai.djl.ndarray.NDManager m = ai.djl.engine.Engine.getEngine("PyTorch").newBaseManager();
                ai.djl.training.GradientCollector gc = ai.djl.engine.Engine.getEngine("PyTorch").newGradientCollector()) {
            ai.djl.ndarray.NDArray x = m.randomNormal(new ai.djl.ndarray.types.Shape(2, 3, 64, 64));
            ai.djl.ndarray.NDList out = encoder.block().forward(
                    new ai.djl.training.ParameterStore(m, false), new ai.djl.ndarray.NDList(x), true);
            gc.backward(out.get(0).square().sum());
            ai.djl.nn.Parameter first = encoder.block().getParameters().valueAt(0);
            assertThat(first.getArray().getGradient().abs().sum().getFloat()).isGreaterThan(0f);
        }
    }
}
