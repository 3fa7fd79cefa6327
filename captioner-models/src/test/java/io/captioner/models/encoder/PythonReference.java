package io.captioner.models.encoder;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.captioner.testing.Python;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs python3 with torch/torchvision for parity tests; skips (with the reason) when unavailable. */
final class PythonReference {

    private PythonReference() {}

    /** Skips the calling test unless python3 can import torch, torchvision, NumPy and Pillow. */
    static void assumeTorchvision() {
        Python.assumeModules("torch", "torchvision", "numpy", "PIL");
    }

    /** The repository's export script, found relative to the module directory. */
    static Path exportScript() {
        Path p = Path.of("..", "scripts", "export_torchvision.py").toAbsolutePath().normalize();
        assumeTrue(Files.isRegularFile(p), "export script not found at " + p);
        return p;
    }

    /** Copies the reference helper out of the test resources into {@code dir}. */
    static Path helper(Path dir) throws IOException {
        Path p = dir.resolve("torchvision_reference.py");
        try (InputStream in = PythonReference.class.getResourceAsStream("torchvision_reference.py")) {
            Files.copy(in, p, StandardCopyOption.REPLACE_EXISTING);
        }
        return p;
    }

    /** Runs python3 with the arguments and fails the test with python's output if it exits non-zero. */
    static String python(Object... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Python.command());
        for (Object a : args) {
            cmd.add(a.toString());
        }
        Result r = run(cmd, 900);
        if (r.code != 0) {
            throw new AssertionError("python failed (" + r.code + "): " + cmd + "\n" + r.output);
        }
        return r.output;
    }

    private record Result(int code, String output) {}

    private static Result run(List<String> cmd, int timeoutSeconds) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("OMP_NUM_THREADS", "2");
        Process p = pb.start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out after " + timeoutSeconds + " s");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted", e);
        }
    }
}
