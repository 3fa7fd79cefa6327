package io.captioner.examples.cli;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import io.captioner.models.encoder.TorchvisionArch;
import io.captioner.models.encoder.TorchvisionNetwork;
import io.captioner.models.npy.Npy;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes torchvision-layout {@code .npz} weights of small seeded random values using the network's
 * own key table, so that tests need neither Python nor a download.
 */
final class RandomWeights {

    private RandomWeights() {}

    /**
     * Writes the weights.
     *
     * @param arch the architecture
     * @param file the {@code .npz} to write
     * @param seed the seed of the values
     * @return {@code file}
     */
    static Path write(TorchvisionArch arch, Path file, long seed) throws IOException {
        Random random = new Random(seed);
        TorchvisionNetwork net = TorchvisionNetwork.create(arch);
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager();
                OutputStream fos = Files.newOutputStream(file);
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
        return file;
    }
}
