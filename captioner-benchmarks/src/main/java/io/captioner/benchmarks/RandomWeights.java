package io.captioner.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import io.captioner.models.encoder.TorchvisionArch;
import io.captioner.models.encoder.TorchvisionNetwork;
import io.captioner.models.npy.Npy;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.EnumMap;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes torchvision-keyed {@code .npz} files of randomly initialised VGG-16/ResNet-50 weights, so
 * the project's own loader ({@code Encoders.torchvision}) can build the encoders offline. Speed does
 * not depend on the weight values. Files go to one temporary directory per JVM, are written once
 * per architecture and deleted when the JVM exits. Thread-safe.
 */
public final class RandomWeights {

    private static final Map<TorchvisionArch, Path> FILES = new EnumMap<>(TorchvisionArch.class);

    private RandomWeights() {}

    /**
     * Returns a weights file for the architecture, writing it on first use.
     *
     * @param arch the network
     * @return the {@code .npz} path
     * @throws UncheckedIOException if the file cannot be written
     */
    public static synchronized Path npz(TorchvisionArch arch) {
        Path existing = FILES.get(arch);
        if (existing != null && Files.isRegularFile(existing)) {
            return existing;
        }
        try {
            Path dir = Files.createTempDirectory("captioner-bench-weights");
            dir.toFile().deleteOnExit();
            Path file = dir.resolve(arch.id() + "-random.npz");
            Path tmp = dir.resolve(arch.id() + "-random.npz.tmp");
            TorchvisionNetwork net = TorchvisionNetwork.create(arch);
            try (NDManager manager = NDManager.newBaseManager();
                    OutputStream raw = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20);
                    ZipOutputStream zip = new ZipOutputStream(raw)) {
                net.initialize(manager);
                zip.setLevel(Deflater.NO_COMPRESSION);
                for (Map.Entry<String, Parameter> e : net.parameters().parameters().entrySet()) {
                    NDArray a = e.getValue().getArray();
                    zip.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
                    Npy.writeFloat32(zip, a.getShape().getShape(), a.toFloatArray());
                    zip.closeEntry();
                }
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            file.toFile().deleteOnExit();
            FILES.put(arch, file);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write random " + arch.id() + " weights: " + e.getMessage(), e);
        }
    }
}
