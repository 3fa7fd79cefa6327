package io.captioner;

import java.nio.file.Path;

/**
 * A service that opens saved model artifacts for {@link Captioner#load(Path)}; implementations are
 * registered in {@code META-INF/services/io.captioner.CaptionerProvider} and need a public no-arg
 * constructor.
 */
public interface CaptionerProvider {

    /**
     * Returns a short name for error messages, such as {@code "djl-pytorch"}.
     *
     * @return the provider's name
     */
    String name();

    /**
     * Tells whether the path looks like an artifact this provider reads (it is not validated yet).
     *
     * @param artifact a directory or file
     * @return true if {@link #load(Path)} should be tried
     */
    boolean accepts(Path artifact);

    /**
     * Opens the artifact.
     *
     * @param artifact a directory or file accepted by {@link #accepts(Path)}
     * @return a ready captioner owned by the caller
     * @throws CaptionerException naming the file and the problem if the artifact is corrupt or
     *     incompatible
     */
    Captioner load(Path artifact);
}
