package io.captioner.models.encoder;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.captioner.models.npy.Npy;
import io.captioner.models.npy.NpyArray;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.awt.image.BufferedImage;
import io.captioner.models.image.ImageLoader;
import io.captioner.models.image.Preprocessing;
import io.captioner.models.image.TestImages;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Network parity with PyTorch: torchvision (torch 1.13, via python3) and the DJL rebuild get the same
 * seeded random weights (exported by scripts/export_torchvision.py, BatchNorm statistics perturbed)
 * and the same normalised batch; their vectors and spatial maps must agree to 1e-4 of the largest
 * feature magnitude. End to end, the same PNG files go through torchvision's eval transform (tensor
 * path, antialias) and model, and through {@link BlockEncoder}; the same bound applies.
 */
@Tag("slow")
class TorchvisionParityTest {

    static final double RELATIVE_TOLERANCE = 1e-4;

    @TempDir Path dir;

    @ParameterizedTest
    @EnumSource(TorchvisionArch.class)
    void featuresMatchTorchvisionOnTheSameInput(TorchvisionArch arch) throws IOException {
        PythonReference.assumeTorchvision();
        Path weights = dir.resolve(arch.id() + ".npz");
        PythonReference.python(PythonReference.exportScript(), "--arch", arch.id(), "--out", weights,
                "--random-seed", 11);
        float[] input = new float[2 * 3 * 224 * 224];
        Random random = new Random(5);
        for (int i = 0; i < input.length; i++) {
            input[i] = (float) (random.nextGaussian() * 1.1);
        }
        Path inputFile = dir.resolve("input.npy");
        Npy.writeFloat32(inputFile, new long[] {2, 3, 224, 224}, input);
        Path perturbed = dir.resolve(arch.id() + "-bn.npz");
        List<BufferedImage> images = List.of(TestImages.rgb(400, 300, 21), TestImages.rgb(217, 333, 22));
        Path a = TestImages.png(images.get(0), dir.resolve("a.png"));
        Path b = TestImages.png(images.get(1), dir.resolve("b.png"));
        PythonReference.python(PythonReference.helper(dir), "network", "--arch", arch.id(), "--weights", weights,
                "--perturbed", perturbed, "--seed", 3, "--input", inputFile, "--out", dir, "--images", a, b);
        float[] refVector = Npy.read(dir.resolve("vector.npy")).toFloatArray();
        NpyArray refSpatial = Npy.read(dir.resolve("spatial.npy"));

        TorchvisionNetwork net = TorchvisionNetwork.create(arch);
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
            net.initialize(manager);
            WeightsLoader.load(perturbed, net.parameters());
            NDList out = net.block().forward(new ParameterStore(manager, false),
                    new NDList(manager.create(input, new Shape(2, 3, 224, 224))), false);
            float[] vector = out.get(0).toFloatArray();
            assertThat(out.get(1).getShape().getShape()).isEqualTo(refSpatial.shape());
            // the spatial map through the public API: rows location-major, channels last
            BlockEncoder spatialEncoder = new BlockEncoder(arch.id(), arch.kind(), arch.featureSize(), net.block(),
                    manager.newSubManager(), Preprocessing.imagenet(), EncoderOptions.defaults().withSpatialOutput(),
                    null);
            int side = arch.spatialSize();
            assertThat(spatialEncoder.featureShape()).containsExactly(side, side, arch.spatialChannels());
            float[][] spatialRows = spatialEncoder.encodePreprocessed(input, 2);
            float[] spatial = new float[2 * spatialEncoder.featureSize()];
            for (int i = 0; i < 2; i++) {
                System.arraycopy(spatialRows[i], 0, spatial, i * spatialRows[i].length, spatialRows[i].length);
            }
            float[] refChannelsLast = channelsLast(refSpatial.toFloatArray(), 2, arch.spatialChannels(), side, side);

            double vectorRatio = maxDiff(vector, refVector) / maxAbs(refVector);
            double spatialRatio = maxDiff(spatial, refChannelsLast) / maxAbs(refChannelsLast);
            System.out.printf("parity %s: vector max|diff|/max|feature| = %.3e (max|feature| %.4g),"
                    + " spatial %.3e%n", arch, vectorRatio, maxAbs(refVector), spatialRatio);
            assertThat(maxAbs(refVector)).as("reference features must not be all zero").isGreaterThan(0);
            assertThat(vectorRatio).isLessThanOrEqualTo(RELATIVE_TOLERANCE);
            assertThat(spatialRatio).isLessThanOrEqualTo(RELATIVE_TOLERANCE);

            // end to end: the same PNG files, decoded and preprocessed by each side
            BlockEncoder encoder = new BlockEncoder(arch.id(), arch.kind(), arch.featureSize(), net.block(),
                    manager.newSubManager(), Preprocessing.imagenet(), EncoderOptions.defaults(), null);
            ImageLoader loader = ImageLoader.standard();
            float[][] rows = encoder.encode(List.of(loader.load(a), loader.load(b)));
            float[] ours = new float[2 * arch.featureSize()];
            System.arraycopy(rows[0], 0, ours, 0, arch.featureSize());
            System.arraycopy(rows[1], 0, ours, arch.featureSize(), arch.featureSize());
            float[] refImages = Npy.read(dir.resolve("image_vector.npy")).toFloatArray();
            float[] refPil = Npy.read(dir.resolve("image_vector_pil.npy")).toFloatArray();
            double imageRatio = maxDiff(ours, refImages) / maxAbs(refImages);
            System.out.printf("parity %s end to end (PNG -> features): max|diff|/max|feature| = %.3e;"
                    + " vs torchvision's PIL path %.3e%n", arch, imageRatio, maxDiff(ours, refPil) / maxAbs(refPil));
            assertThat(imageRatio).isLessThanOrEqualTo(RELATIVE_TOLERANCE);
        }
    }

    @org.junit.jupiter.api.Test
    void tracedTorchScriptExportGivesTheSameFeaturesAsTheRebuiltNetwork() throws IOException {
        PythonReference.assumeTorchvision();
        Path pt = dir.resolve("r50.pt");
        Path npz = dir.resolve("r50.npz");
        PythonReference.python(PythonReference.exportScript(), "--arch", "resnet50", "--out", pt,
                "--random-seed", 13, "--torchscript");
        PythonReference.python(PythonReference.exportScript(), "--arch", "resnet50", "--out", npz,
                "--random-seed", 13);
        List<BufferedImage> images = List.of(TestImages.rgb(320, 240, 31), TestImages.rgb(240, 320, 32));
        float[][] traced;
        float[][] rebuilt;
        try (BlockEncoder ts = Encoders.torchScript(pt, "resnet50-torchscript", Preprocessing.imagenet(),
                EncoderOptions.defaults())) {
            assertThat(ts.featureSize()).isEqualTo(2048);
            traced = ts.encode(images);
        }
        try (BlockEncoder rb = Encoders.torchvision(TorchvisionArch.RESNET50, npz, EncoderOptions.defaults())) {
            rebuilt = rb.encode(images);
        }
        float[] a = new float[2 * 2048];
        float[] b = new float[2 * 2048];
        for (int i = 0; i < 2; i++) {
            System.arraycopy(traced[i], 0, a, i * 2048, 2048);
            System.arraycopy(rebuilt[i], 0, b, i * 2048, 2048);
        }
        double ratio = maxDiff(b, a) / maxAbs(a);
        System.out.printf("parity resnet50 TorchScript export vs rebuilt network: %.3e%n", ratio);
        assertThat(maxAbs(a)).isGreaterThan(0);
        assertThat(ratio).isLessThanOrEqualTo(RELATIVE_TOLERANCE);
    }

    /** {@code [n, c, h, w]} → {@code [n, h, w, c]}, the layout of spatial encoder rows. */
    static float[] channelsLast(float[] nchw, int n, int c, int h, int w) {
        float[] out = new float[nchw.length];
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        out[((i * h + y) * w + x) * c + ch] = nchw[((i * c + ch) * h + y) * w + x];
                    }
                }
            }
        }
        return out;
    }

    static double maxDiff(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs((double) a[i] - b[i]));
        }
        return m;
    }

    static double maxAbs(float[] a) {
        double m = 0;
        for (float v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
