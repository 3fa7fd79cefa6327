package io.captioner.models.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
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
        try (BlockEncoder batched = Encoders.smallCnn().optFeatureSize(96).optBaseChannels(8).optEncoderOptions(EncoderOptions.defaults().withBatchSize(2)).build()) {
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
        try (BlockEncoder encoder = Encoders.smallCnn().optFeatureSize(32).optBaseChannels(8).optEncoderOptions(EncoderOptions.defaults().withBatchSize(3)).build();
                BlockEncoder spatial = Encoders.smallCnn().optFeatureSize(32).optBaseChannels(8).optEncoderOptions(EncoderOptions.defaults().withBatchSize(3).withSpatialOutput(4)).build()) {
            List<BufferedImage> imgs = images(4);
            encoder.encode(imgs);
            spatial.encode(imgs);
            int before = encoder.managedArrayCount();
            int spatialBefore = spatial.managedArrayCount();
            for (int i = 0; i < 40; i++) {
                encoder.encode(imgs);
                spatial.encode(imgs.subList(0, 1));
            }
            assertThat(encoder.managedArrayCount()).isEqualTo(before);
            assertThat(spatial.managedArrayCount()).isEqualTo(spatialBefore);
        }
    }

    @Test
    void encodersAreFrozenByDefaultAndTrainableOnRequest() {
        try (BlockEncoder frozen = Encoders.smallCnn().optFeatureSize(16).optBaseChannels(4).build();
                BlockEncoder trainable = Encoders.smallCnn().optFeatureSize(16).optBaseChannels(4).optEncoderOptions(new EncoderOptions(4, true)).build()) {
            assertThat(frozen.block().getParameters().values()).noneMatch(p -> p.requiresGradient());
            assertThat(trainable.block().getParameters().values()).anyMatch(p -> p.requiresGradient());
        }
    }

    @Test
    void smallCnnSpatialRowsAreItsLastMapLocationMajorChannelsLast() {
        try (BlockEncoder encoder = Encoders.smallCnn().optFeatureSize(24).optBaseChannels(4).optEncoderOptions(EncoderOptions.defaults().withSpatialOutput()).build()) {
            assertThat(encoder.featureShape()).containsExactly(8, 8, 24);
            assertThat(encoder.featureSize()).isEqualTo(8 * 8 * 24);
            List<BufferedImage> imgs = images(2);
            float[][] rows = encoder.encode(imgs);
            assertThat(rows).hasNumberOfRows(2);
            assertThat(rows[1]).hasSize(8 * 8 * 24);
            float[] batch = new float[3 * 64 * 64];
            encoder.preprocessing().toTensor(imgs.get(1), batch, 0);
            try (NDManager m = NDManager.newBaseManager()) {
                float[] map = encoder.block().forward(new ParameterStore(m, false),
                        new NDList(m.create(batch, new Shape(1, 3, 64, 64))), false).get(1).toFloatArray();
                for (int c = 0; c < 24; c++) {
                    for (int y = 0; y < 8; y++) {
                        for (int x = 0; x < 8; x++) {
                            float expected = map[(c * 8 + y) * 8 + x];
                            assertThat(rows[1][(y * 8 + x) * 24 + c]).as("c %d y %d x %d", c, y, x)
                                    .isCloseTo(expected, within(1e-5f * Math.max(1f, Math.abs(expected))));
                        }
                    }
                }
            }
        }
    }

    @Test
    void smallCnnVectorIsTheMeanOverLocationsOfItsSpatialMap() {
        Path file = dir.resolve("cnn.params");
        List<BufferedImage> imgs = images(2);
        float[][] maps;
        try (BlockEncoder spatial = Encoders.smallCnn().optFeatureSize(24).optBaseChannels(4).optEncoderOptions(EncoderOptions.defaults().withSpatialOutput()).build()) {
            maps = spatial.encode(imgs);
            spatial.saveParameters(file);
        }
        try (BlockEncoder vector = Encoders.smallCnn().optFeatureSize(24).optBaseChannels(4).build()) {
            vector.loadParameters(file); // the parameter file is the same for both layouts
            assertMeanOverLocations(vector.encode(imgs), maps, 64, 24, 1e-4f);
        }
    }

    @Test
    @org.junit.jupiter.api.Tag("slow")
    void resNet50SpatialRowsAreLayer4AndTheVectorIsTheirMean() {
        TorchvisionNetwork net = TorchvisionNetwork.create(TorchvisionArch.RESNET50);
        NDManager manager = NDManager.newBaseManager();
        try {
            net.initialize(manager);
            List<BufferedImage> imgs = images(1);
            BlockEncoder vector = new BlockEncoder("resnet50", null, 2048, net.block(), manager.newSubManager(),
                    Preprocessing.imagenet(), EncoderOptions.defaults(), null);
            BlockEncoder spatial = new BlockEncoder("resnet50", null, 2048, net.block(), manager.newSubManager(),
                    Preprocessing.imagenet(), EncoderOptions.defaults().withSpatialOutput(), null);
            BlockEncoder pooled = new BlockEncoder("resnet50", null, 2048, net.block(), manager.newSubManager(),
                    Preprocessing.imagenet(), EncoderOptions.defaults().withSpatialOutput(14), null);
            assertThat(spatial.featureShape()).containsExactly(7, 7, 2048);
            assertThat(pooled.featureShape()).containsExactly(14, 14, 2048);
            assertThat(vector.featureShape()).containsExactly(2048);
            float[][] vectors = vector.encode(imgs);
            float[][] maps = spatial.encode(imgs);
            float[][] pooledMaps = pooled.encode(imgs);
            assertMeanOverLocations(vectors, maps, 49, 2048, 1e-4f);
            // 7 -> 14 adaptive average pooling copies each location into a 2 x 2 block
            for (int i = 0; i < imgs.size(); i++) {
                for (int y = 0; y < 14; y++) {
                    for (int x = 0; x < 14; x++) {
                        for (int c = 0; c < 2048; c += 97) {
                            assertThat(pooledMaps[i][(y * 14 + x) * 2048 + c])
                                    .isEqualTo(maps[i][((y / 2) * 7 + x / 2) * 2048 + c]);
                        }
                    }
                }
            }
        } finally {
            manager.close();
        }
    }

    @Test
    @org.junit.jupiter.api.Tag("slow")
    void vgg16SpatialRowsAreConv53AfterReluAt14By14() {
        TorchvisionNetwork net = TorchvisionNetwork.create(TorchvisionArch.VGG16);
        NDManager manager = NDManager.newBaseManager();
        try {
            net.initialize(manager);
            BlockEncoder spatial = new BlockEncoder("vgg16", null, 4096, net.block(), manager.newSubManager(),
                    Preprocessing.imagenet(), EncoderOptions.defaults().withSpatialOutput(), null);
            assertThat(spatial.featureShape()).containsExactly(14, 14, 512);
            BufferedImage image = images(1).get(0);
            float[] row = spatial.encode(image);
            assertThat(row).hasSize(14 * 14 * 512);
            float[] batch = new float[3 * 224 * 224];
            Preprocessing.imagenet().toTensor(image, batch, 0);
            try (NDManager m = NDManager.newBaseManager()) {
                float[] map = net.block().forward(new ParameterStore(m, false),
                        new NDList(m.create(batch, new Shape(1, 3, 224, 224))), false).get(1).toFloatArray();
                for (int c = 0; c < 512; c += 7) {
                    for (int y = 0; y < 14; y++) {
                        for (int x = 0; x < 14; x++) {
                            float expected = map[(c * 14 + y) * 14 + x];
                            assertThat(row[(y * 14 + x) * 512 + c]).as("c %d y %d x %d", c, y, x)
                                    .isCloseTo(expected, within(1e-5f * Math.max(1f, Math.abs(expected))));
                        }
                    }
                }
            }
            float min = Float.POSITIVE_INFINITY;
            for (float v : row) {
                min = Math.min(min, v);
            }
            assertThat(min).as("smallest value after ReLU").isGreaterThanOrEqualTo(0f);
        } finally {
            manager.close();
        }
    }

    @Test
    void spatialOutputOfATorchScriptModuleIsRefusedBeforeLoading() {
        assertThatThrownBy(() -> Encoders.torchScript(dir.resolve("any.pt"), "traced", Preprocessing.imagenet(),
                EncoderOptions.defaults().withSpatialOutput()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TorchScript encoder traced gives feature vectors only")
                .hasMessageContaining("spatial=true");
    }

    @Test
    void pooledSideWithoutSpatialOutputIsRefused() {
        assertThatThrownBy(() -> new EncoderOptions(8, false, false, 14))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("spatialSize 14 needs spatial output");
    }

    /** Asserts every vector equals the mean over the locations of the matching spatial row. */
    private static void assertMeanOverLocations(float[][] vectors, float[][] maps, int locations, int channels,
            float tolerance) {
        for (int i = 0; i < vectors.length; i++) {
            for (int c = 0; c < channels; c++) {
                double mean = 0;
                for (int l = 0; l < locations; l++) {
                    mean += maps[i][l * channels + c];
                }
                mean /= locations;
                assertThat(vectors[i][c]).as("image %d channel %d", i, c)
                        .isCloseTo((float) mean, within(tolerance * Math.max(1f, Math.abs((float) mean))));
            }
        }
    }

    @Tag("slow")
    @Test
    void torchvisionEncoderEncodesImagesThroughImagenetPreprocessing() throws IOException {
        Path weights = dir.resolve("r50.npz");
        TestNpz.writeConstant(weights, TestNpz.torchvisionKeys(TorchvisionArch.RESNET50), 0.002f);
        try (BlockEncoder encoder = Encoders.torchvision(TorchvisionArch.RESNET50, weights, EncoderOptions.defaults())) {
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
                EncoderOptions.defaults()))
                .isInstanceOf(CaptionerException.class)
                .hasMessageContaining("none.npz: weights file not found")
                .hasMessageContaining("scripts/export_torchvision.py --arch vgg16");
    }

    @Test
    void closedEncoderRefusesWorkAndClosesOnlyOnce() {
        BlockEncoder encoder = Encoders.smallCnn().optFeatureSize(8).optBaseChannels(4).build();
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
        try (BlockEncoder encoder = Encoders.torchScript(pt, "tiny", pre, EncoderOptions.defaults())) {
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
        assertThatThrownBy(() -> Encoders.torchScript(bad, "bad", Preprocessing.imagenet(), EncoderOptions.defaults()))
                .isInstanceOf(CaptionerException.class)
                .hasMessageContaining("bad.pt: cannot");
    }

    @Test
    void savedParametersReloadIntoAFreshEncoderAndReproduceItsFeatures() {
        Path file = dir.resolve("small.params");
        List<BufferedImage> imgs = images(2);
        float[][] expected;
        try (BlockEncoder a = Encoders.smallCnn().optFeatureSize(16).optBaseChannels(4).build()) {
            expected = a.encode(imgs);
            a.saveParameters(file);
        }
        try (BlockEncoder b = Encoders.smallCnn().optFeatureSize(16).optBaseChannels(4).build()) {
            assertThat(b.encode(imgs)).isNotEqualTo(expected);
            b.loadParameters(file);
            assertThat(b.encode(imgs)).isDeepEqualTo(expected);
            assertThat(b.block().getParameters().values()).noneMatch(p -> p.requiresGradient());
        }
    }

    @Test
    void savedParametersOfAnotherShapeAreRejectedNamingTheParameter() {
        Path file = dir.resolve("wide.params");
        try (BlockEncoder a = Encoders.smallCnn().optFeatureSize(16).optBaseChannels(8).build()) {
            a.saveParameters(file);
        }
        try (BlockEncoder b = Encoders.smallCnn().optFeatureSize(16).optBaseChannels(4).build()) {
            assertThatThrownBy(() -> b.loadParameters(file))
                    .isInstanceOf(CaptionerException.class)
                    .hasMessageContaining("wide.params: parameter ")
                    .hasMessageContaining("must have shape (4, 3, 3, 3) to match the model, found (8, 3, 3, 3)");
        }
    }

    @Test
    void trainableEncoderReceivesGradientsForFineTuning() {
        try (BlockEncoder encoder = Encoders.smallCnn().optFeatureSize(8).optBaseChannels(4).optEncoderOptions(new EncoderOptions(4, true)).build();
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

    @Test
    void smallCnnBuilderDefaultsToSixtyFourPixelsOneHundredTwentyEightFeaturesSixteenChannels() {
        try (BlockEncoder encoder = Encoders.smallCnn().build()) {
            assertThat(encoder.kind()).contains(EncoderKind.SMALL_CNN);
            assertThat(encoder.featureSize()).isEqualTo(128);
            assertThat(encoder.preprocessing().resize()).isEqualTo(64);
            assertThat(encoder.preprocessing().crop()).isEqualTo(64);
            assertThat(encoder.block().getParameters().get(0).getValue().getArray().getShape().get(0))
                    .as("first convolution's channels").isEqualTo(16);
            assertThat(encoder.options()).isEqualTo(EncoderOptions.defaults());
        }
    }

    @Test
    void smallCnnBuilderRefusesAnInputSizeThatIsNoMultipleOfEight() {
        assertThatThrownBy(() -> Encoders.smallCnn().optInputSize(60).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("inputSize must be a multiple of 8 in [32, 256], got 60");
    }

    @Test
    void torchvisionEncoderCarriesItsKind() throws IOException {
        Path weights = dir.resolve("r50-kind.npz");
        TestNpz.writeConstant(weights, TestNpz.torchvisionKeys(TorchvisionArch.RESNET50), 0.002f);
        try (BlockEncoder encoder = Encoders.torchvision(TorchvisionArch.RESNET50, weights,
                EncoderOptions.defaults())) {
            assertThat(encoder.kind()).contains(EncoderKind.RESNET50);
        }
    }

    @Test
    void savedParametersUseTheLibrarysParameterFileAndRefuseAnotherEncoderOrKind() {
        Path file = dir.resolve("small.params");
        Path other = dir.resolve("other.params");
        try (BlockEncoder a = Encoders.smallCnn().optFeatureSize(16).optBaseChannels(4).build()) {
            a.saveParameters(file);
            io.captioner.models.internal.ParameterFile pf = io.captioner.models.internal.ParameterFile.read(file,
                    BlockEncoder.PARAMETER_FILE_KIND);
            assertThat(pf.metadata()).containsEntry("architecture", "small-cnn").containsEntry("featureSize", "16");
            new io.captioner.models.internal.ParameterFile(BlockEncoder.PARAMETER_FILE_KIND,
                    java.util.Map.of("architecture", "resnet50", "featureSize", "2048"), pf.arrays()).write(other);
            assertThatThrownBy(() -> a.loadParameters(other)).isInstanceOf(CaptionerException.class)
                    .hasMessageContaining("parameters of encoder resnet50 (D=2048) do not fit small-cnn (D=16)");
            new io.captioner.models.internal.ParameterFile("training-checkpoint", java.util.Map.of(), pf.arrays())
                    .write(other);
            assertThatThrownBy(() -> a.loadParameters(other)).isInstanceOf(CaptionerException.class)
                    .hasMessageContaining("other.params").hasMessageContaining("training-checkpoint");
        }
    }
}
