package io.captioner.models.encoder;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

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

    private static Boolean available;
    private static String reason = "";

    private PythonReference() {}

    /** Skips the calling test unless python3 can import torch and torchvision. */
    static synchronized void assumeTorchvision() {
        if (available == null) {
            try {
                Result r = run(List.of(io.captioner.testing.Python.command(), "-c", "import torch, torchvision, numpy, PIL;"
                        + "print(torch.__version__, torchvision.__version__)"), 120);
                available = r.code == 0;
                reason = available ? "" : "python3 cannot import torch/torchvision/numpy/PIL: " + r.output.trim();
                if (available) {
                    System.out.println("parity reference: torch/torchvision " + r.output.trim());
                }
            } catch (IOException e) {
                available = false;
                reason = "python3 not runnable: " + e.getMessage();
            }
            if (!available) {
                System.out.println("SKIPPED parity tests: " + reason
                        + " (install Debian python3-torch python3-torchvision python3-pil)");
            }
        }
        assumeTrue(available, reason);
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
        cmd.add(io.captioner.testing.Python.command());
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
