package io.captioner.examples.cli;

import io.captioner.models.encoder.BlockEncoder;
import io.captioner.models.encoder.EncoderOptions;
import io.captioner.models.encoder.Encoders;
import io.captioner.models.encoder.TorchvisionArch;
import io.captioner.models.image.ImageLoader;
import io.captioner.models.internal.ConsoleProgress;
import io.captioner.models.npy.Npy;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code captioner features}: encodes images with VGG-16 or ResNet-50 and writes their penultimate
 * features as a NumPy {@code .npy} file, float32 {@code [images, D]}, rows in argument order.
 */
@Command(
        name = "features",
        mixinStandardHelpOptions = true,
        description = {
            "Writes the penultimate CNN features of images as a float32 .npy file [images, D].",
            "Weights: a .npz from scripts/export_torchvision.py (torchvision state_dict keys)."
        })
final class FeaturesCommand implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Option(names = "--encoder", required = true, paramLabel = "ARCH",
            converter = CliArgs.TorchvisionArchConverter.class,
            description = "vgg16 (fc7, D=4096) or resnet50 (average pool, D=2048).")
    private TorchvisionArch arch;

    @Option(names = "--weights", required = true, paramLabel = "FILE",
            description = "Weights .npz written by scripts/export_torchvision.py.")
    private Path weights;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Destination .npy file.")
    private Path out;

    @Option(names = "--batch-size", defaultValue = "8", paramLabel = "N",
            description = "Images per forward pass (default: ${DEFAULT-VALUE}).")
    private int batchSize;

    @Option(names = "--max-pixels", defaultValue = "50000000", paramLabel = "N",
            description = "Reject images larger than N pixels before decoding (default: ${DEFAULT-VALUE}).")
    private long maxPixels;

    @Parameters(arity = "1..*", paramLabel = "IMG", description = "Image files (JPEG, PNG, GIF, BMP).")
    private List<Path> images;

    @Override
    public Integer call() {
        CliArgs.require(spec, batchSize >= 1, "--batch-size must be at least 1, found " + batchSize);
        CliArgs.require(spec, maxPixels >= 1, "--max-pixels must be at least 1, found " + maxPixels);
        ImageLoader loader = ImageLoader.withMaxPixels(maxPixels);
        PrintWriter err = spec.commandLine().getErr();
        long startNanos = System.nanoTime();
        float[][] rows = new float[images.size()][];
        try (BlockEncoder enc = Encoders.torchvision(arch, weights, EncoderOptions.defaults().withBatchSize(batchSize));
                ConsoleProgress bar = ConsoleProgress.start(ProgressOutput.of(err), "features", images.size())) {
            for (int start = 0; start < images.size(); start += batchSize) {
                List<BufferedImage> batch = new ArrayList<>();
                for (Path p : images.subList(start, Math.min(images.size(), start + batchSize))) {
                    batch.add(loader.load(p));
                }
                float[][] f = enc.encode(batch);
                System.arraycopy(f, 0, rows, start, f.length);
                bar.stepTo(start + f.length, "");
            }
        }
        Npy.writeFloat32(out, rows);
        err.printf("features: wrote %s [%d, %d] (%s) in %.1f s%n", out, rows.length, arch.featureSize(), arch,
                (System.nanoTime() - startNanos) / 1e9);
        return CaptionerCli.EXIT_OK;
    }
}
