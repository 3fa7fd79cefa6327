package io.captioner.spark;

import io.captioner.CaptionerException;
import io.captioner.io.Digests;
import io.captioner.models.DjlCaptioner;
import io.captioner.models.artifact.ModelArtifact;
import io.captioner.models.encoder.BlockEncoder;
import io.captioner.models.encoder.EncoderOptions;
import io.captioner.models.encoder.Encoders;
import io.captioner.models.encoder.TorchvisionArch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The models of this JVM: one captioner per artifact and batch size, one encoder per weights file,
 * architecture and batch size, loaded on first use and shared by every task (and, in local mode,
 * by the driver, which loads them first to fail fast). They live as long as the JVM, as an
 * executor's models should; native memory is released when it exits.
 *
 * <p>Thread-safe: concurrent first calls for one model load it once, the others wait.
 */
final class ExecutorModels {

    private static final Map<String, DjlCaptioner> CAPTIONERS = new ConcurrentHashMap<>();
    private static final Map<String, BlockEncoder> ENCODERS = new ConcurrentHashMap<>();

    private ExecutorModels() {}

    /**
     * Returns this JVM's captioner for a model artifact, loading it the first time.
     *
     * @param location where the artifact is ({@link ModelLocation})
     * @param batchSize images per encoder pass
     * @param taskCpus {@code spark.task.cpus}, for PyTorch's thread count
     * @return the shared captioner; never close it
     * @throws CaptionerException naming the artifact if it cannot be found or read
     */
    static DjlCaptioner captioner(String location, int batchSize, int taskCpus) {
        Path artifact = ModelLocation.resolve(location);
        String key = artifact.toAbsolutePath().normalize() + "|" + fingerprint(artifact) + "|" + batchSize;
        return CAPTIONERS.computeIfAbsent(key, k -> {
            TorchThreads.configure(taskCpus);
            return ModelArtifact.load(artifact, EncoderOptions.defaults().withBatchSize(batchSize));
        });
    }

    /**
     * Returns this JVM's frozen torchvision encoder for a weights file, loading it the first time.
     *
     * @param location where the {@code .npz} weights are ({@link ModelLocation})
     * @param arch the architecture
     * @param sha256 the weights' digest computed on the driver; a local copy that differs is refused
     * @param batchSize images per forward pass
     * @param taskCpus {@code spark.task.cpus}, for PyTorch's thread count
     * @param spatial whether the encoder gives its last spatial map instead of the pooled vector
     * @return the shared encoder; never close it
     * @throws CaptionerException naming the weights if they cannot be found, differ from the
     *     driver's or do not fit the architecture
     */
    static BlockEncoder encoder(String location, TorchvisionArch arch, String sha256, int batchSize, int taskCpus,
            boolean spatial) {
        Path weights = ModelLocation.resolve(location);
        String key = weights.toAbsolutePath().normalize() + "|" + arch + "|" + sha256 + "|" + batchSize + "|"
                + spatial;
        return ENCODERS.computeIfAbsent(key, k -> {
            String found = Digests.sha256(weights);
            if (!found.equals(sha256)) {
                throw new CaptionerException(weights + ": weights differ from the driver's (SHA-256 " + found
                        + " here, " + sha256 + " on the driver); every node must see the same file");
            }
            TorchThreads.configure(taskCpus);
            EncoderOptions options = EncoderOptions.defaults().withBatchSize(batchSize);
            return Encoders.torchvision(arch, weights, spatial ? options.withSpatialOutput() : options);
        });
    }

    /** Size and modification time of the artifact's file or manifest, so a rewritten model is reloaded. */
    private static String fingerprint(Path artifact) {
        Path file = Files.isDirectory(artifact) ? artifact.resolve("manifest.json") : artifact;
        try {
            return Files.size(file) + "@" + Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            // Loading names the missing or unreadable file.
            return "unreadable";
        }
    }
}
