package io.captioner.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.captioner.data.synthetic.SyntheticDataset;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console shows results, progress and real warnings only; engine logs need {@code --verbose}.
 *
 * <p>Each test runs the CLI in a new JVM: logger levels are fixed when a logger is created, and
 * libtorch writes its warnings to file descriptor 2, which {@code System.setErr} cannot capture.
 */
class QuietConsoleTest {

    /** What DJL and libtorch printed on every {@code caption} run before the console was quieted. */
    private static final List<String> CHATTER = List.of(
            "Failed to detect GPU count",
            "Found matching platform",
            "Number of inter-op threads",
            "Number of intra-op threads",
            "graph executor optimizer",
            "AutoNonVariableTypeMode");

    /** An slf4j-simple line from an engine logger at info or warn, e.g. {@code [main] INFO ai.djl...}. */
    private static final Pattern ENGINE_LOG =
            Pattern.compile("^\\[[^\\]]+\\] (INFO|WARN) (ai\\.djl|io\\.javalin|org\\.eclipse\\.jetty)\\.",
                    Pattern.MULTILINE);

    /** A libtorch (c10) log line, e.g. {@code [W1205 12:18:57.735374287 LegacyTypeDispatch.h:74] Warning: ...}. */
    private static final Pattern LIBTORCH_LOG = Pattern.compile("^\\[[WI]\\d{4} ", Pattern.MULTILINE);

    private static final long TIMEOUT_SECONDS = 120;

    @TempDir static Path shared;
    static Path model;
    static Path image;

    @BeforeAll
    static void setUp() {
        SyntheticDataset synth = SyntheticDataset.builder().optImages(20).optImageSize(64).build();
        model = TinyModel.save(shared.resolve("model"), synth);
        Path data = shared.resolve("data");
        synth.generate(data);
        image = data.resolve(SyntheticDataset.IMAGES_DIR).resolve(synth.imageName(0));
    }

    @Test
    void captionPrintsTheCaptionAndNoEngineChatter() throws Exception {
        Run run = cli("caption", "--model", model.toString(), image.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().lines().toList()).singleElement().asString().startsWith(image + "\t");
        assertNoChatter(run.err());
    }

    @Test
    void verboseBeforeTheCommandBringsBackTheEngineLogs() throws Exception {
        Run run = cli("--verbose", "caption", "--model", model.toString(), image.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().lines().toList()).singleElement().asString().startsWith(image + "\t");
        assertThat(run.err()).contains("INFO ai.djl.pytorch.engine.PtEngine", "Number of intra-op threads");
    }

    @Test
    void verboseAfterTheCommandBringsBackTheEngineLogs() throws Exception {
        Run run = cli("caption", "--verbose", "--model", model.toString(), image.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("INFO ai.djl.pytorch.engine.PtEngine", "Number of intra-op threads");
    }

    @Test
    void libtorchDeprecationWarningIsAvoidedNotHiddenByVerbosity() throws Exception {
        Run run = cli("--verbose", "caption", "--model", model.toString(), image.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).doesNotContain("AutoNonVariableTypeMode");
        assertThat(LIBTORCH_LOG.matcher(run.err()).find()).as("libtorch log line in:%n%s", run.err()).isFalse();
    }

    @Test
    void serverLogShowsItsAddressAndNoEngineChatter() throws Exception {
        Path err = shared.resolve("serve.err");
        Process p = java(List.of("serve", "--model", model.toString(), "--port", "0"), err);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            while (!Files.readString(err).contains("Ctrl-C stops") && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(Files.readString(err)).as("server start").contains("Serving model at http://127.0.0.1:");
        } finally {
            p.destroy(); // SIGTERM: the server stops gracefully through its shutdown hook
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        String log = Files.readString(err);
        assertThat(log).contains("Caption server stopped");
        assertNoChatter(log);
    }

    private static void assertNoChatter(String stderr) {
        assertThat(stderr).doesNotContain(CHATTER);
        assertThat(ENGINE_LOG.matcher(stderr).find()).as("engine log line in:%n%s", stderr).isFalse();
        assertThat(LIBTORCH_LOG.matcher(stderr).find()).as("libtorch log line in:%n%s", stderr).isFalse();
    }

    private record Run(int exitCode, String out, String err) {}

    /** Runs the CLI in a new JVM with this test's class path and waits for it. */
    private static Run cli(String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile(shared, "cli", ".out");
        Path err = Files.createTempFile(shared, "cli", ".err");
        Process p = java(List.of(args), err, out);
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("captioner " + String.join(" ", args) + " did not finish in "
                    + TIMEOUT_SECONDS + " s; stderr:\n" + Files.readString(err));
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private static Process java(List<String> args, Path err) throws IOException {
        return java(args, err, null);
    }

    private static Process java(List<String> args, Path err, Path out) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(CaptionerCli.class.getName());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(err.toFile());
        pb.environment().remove("CAPTIONER_DEBUG");
        if (out != null) {
            pb.redirectOutput(out.toFile());
        } else {
            pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        }
        return pb.start();
    }
}
