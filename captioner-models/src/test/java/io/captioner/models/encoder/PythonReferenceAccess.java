package io.captioner.models.encoder;

import java.io.IOException;
import java.nio.file.Path;

/** Public door to {@link PythonReference} for tests in other packages. */
public final class PythonReferenceAccess {

    private PythonReferenceAccess() {}

    /** Skips the calling test unless python3 can import torch and torchvision. */
    public static void assumeTorchvision() {
        PythonReference.assumeTorchvision();
    }

    /** Copies the reference helper into {@code dir}. */
    public static Path helper(Path dir) throws IOException {
        return PythonReference.helper(dir);
    }

    /** Runs python3; fails with its output on a non-zero exit. */
    public static String python(Object... args) throws IOException {
        return PythonReference.python(args);
    }
}
