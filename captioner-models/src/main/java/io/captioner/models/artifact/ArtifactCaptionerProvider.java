package io.captioner.models.artifact;

import io.captioner.Captioner;
import io.captioner.CaptionerProvider;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Registers {@link ModelArtifact#load(Path)} with {@link Captioner#load(Path)} through
 * {@link java.util.ServiceLoader}. Accepts directories, {@code .zip} files and missing paths (so
 * that the error names the missing artifact).
 */
public final class ArtifactCaptionerProvider implements CaptionerProvider {

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public ArtifactCaptionerProvider() {}

    @Override
    public String name() {
        return "djl-pytorch";
    }

    @Override
    public boolean accepts(Path artifact) {
        return Files.isDirectory(artifact) || ModelArtifact.isZip(artifact) || !Files.exists(artifact);
    }

    @Override
    public Captioner load(Path artifact) {
        return ModelArtifact.load(artifact);
    }
}
