package io.captioner.models.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.captioner.models.npy.Npy;
import io.captioner.models.npy.NpyArray;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Preprocessing parity with torchvision 0.14 on the same decoded pixels (PNG files decoded by PIL on
 * the python side and by {@link ImageLoader} here).
 *
 * <p>Tolerance: both sides compute the same float32 weighted sums and round to uint8, but the
 * summation may be contracted to fused multiply-adds in torch's compiled kernel, so a value that
 * lands within float rounding of .5 can round to the neighbouring level. One uint8 level is
 * 1 / 255 / std ≤ 0.01744 after normalisation; we allow exactly that per element and require
 * at least 99.9 % of elements to be bit-identical, so any systematic error (wrong filter, offset,
 * crop, channel order, normalisation) fails.
 */
class PreprocessingParityTest {

    static final double ONE_LEVEL = 1.0 / 255 / 0.224 + 1e-6; // the smallest std (green) gives the largest step

    @TempDir Path dir;

    @Test
    void imagenetTransformMatchesTorchvisionOnDecodedPixels() throws IOException {
        io.captioner.models.encoder.PythonReferenceAccess.assumeTorchvision();
        List<Path> files = new ArrayList<>();
        files.add(TestImages.png(TestImages.rgb(640, 480, 1), dir.resolve("a.png")));   // downscale
        files.add(TestImages.png(TestImages.rgb(300, 200, 2), dir.resolve("b.png")));   // upscale
        files.add(TestImages.png(TestImages.rgb(333, 517, 3), dir.resolve("c.png")));   // odd sizes, crop tie
        files.add(TestImages.png(TestImages.gray(400, 300, 4), dir.resolve("d.png")));  // grey
        files.add(TestImages.png(TestImages.rgb(256, 256, 5), dir.resolve("e.png")));   // no resize
        files.add(TestImages.png(TestImages.rgb(1000, 257, 6), dir.resolve("f.png")));  // wide, tiny scale
        List<Object> args = new ArrayList<>(List.of(io.captioner.models.encoder.PythonReferenceAccess.helper(dir),
                "preprocess", "--out", dir, "--images"));
        args.addAll(files);
        io.captioner.models.encoder.PythonReferenceAccess.python(args.toArray());
        NpyArray reference = Npy.read(dir.resolve("tensor.npy"));
        float[] ref = reference.toFloatArray();
        float[] pil = Npy.read(dir.resolve("pil.npy")).toFloatArray();
        assertThat(reference.shape()).containsExactly(files.size(), 3, 224, 224);

        Preprocessing pre = Preprocessing.imagenet();
        ImageLoader loader = ImageLoader.standard();
        float[] ours = new float[ref.length];
        for (int i = 0; i < files.size(); i++) {
            pre.toTensor(loader.load(files.get(i)), ours, i * 3 * 224 * 224);
        }
        double maxDiff = 0;
        double maxPil = 0;
        long mismatched = 0;
        for (int i = 0; i < ref.length; i++) {
            double d = Math.abs(ours[i] - ref[i]);
            maxDiff = Math.max(maxDiff, d);
            maxPil = Math.max(maxPil, Math.abs(ours[i] - pil[i]));
            if (d != 0) {
                mismatched++;
            }
        }
        double fraction = (double) mismatched / ref.length;
        System.out.printf("preprocessing parity: max|diff| %.5f (one level %.5f), %d of %d elements differ (%.4f%%);"
                + " vs PIL path max|diff| %.5f%n", maxDiff, ONE_LEVEL, mismatched, ref.length, 100 * fraction, maxPil);
        assertThat(maxDiff).isLessThanOrEqualTo(ONE_LEVEL);
        assertThat(fraction).isLessThanOrEqualTo(0.001);
    }
}
