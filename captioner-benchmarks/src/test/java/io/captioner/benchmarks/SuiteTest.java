package io.captioner.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SuiteTest {

    private static final String NO_GPU = "device=gpu skipped: no CUDA device (test)";

    /** Runs the command line on arguments that never reach the suite itself; returns exit code and stderr. */
    private static Map.Entry<Integer, String> execute(String... args) {
        StringWriter err = new StringWriter();
        StringWriter out = new StringWriter();
        CommandLine cmd = Suite.commandLine();
        cmd.setErr(new PrintWriter(err));
        cmd.setOut(new PrintWriter(out));
        int code = cmd.execute(args);
        return Map.entry(code, err + out.toString());
    }

    private static Suite.Cli parse(String... args) {
        CommandLine cmd = Suite.commandLine();
        cmd.parseArgs(args);
        return cmd.getCommand();
    }

    @Test
    void withoutAGpuEveryRunIsOnTheCpuAndEachGpuVariantIsSkipped() {
        Suite.Plan plan = Suite.plan(".*", Map.of(), NO_GPU);

        assertThat(plan.runs()).extracting(Suite.JmhRun::label).containsExactly("DecodingBenchmark impl=naive",
                "DecodingBenchmark impl=project", "AttentionDecodingBenchmark", "EncoderBenchmark", "EndToEndBenchmark");
        assertThat(plan.runs()).allSatisfy(r -> assertThat(r.params().get("device")).containsExactly("cpu"));
        assertThat(plan.skipped()).hasSize(5).allSatisfy(s -> {
            assertThat(s.params()).containsEntry("device", "gpu");
            assertThat(s.reason()).isEqualTo(NO_GPU);
        });
    }

    @Test
    void askingOnlyForTheGpuWithoutOneRunsNothing() {
        Suite.Plan plan = Suite.plan(".*", Map.of("device", new String[] {"gpu"}), NO_GPU);

        assertThat(plan.runs()).isEmpty();
        assertThat(plan.skipped()).hasSize(5);
    }

    @Test
    void theNaiveLoopRunsAtOnePrecisionAndKernelWhateverTheProjectSweeps() {
        Suite.Plan plan = Suite.plan("DecodingBenchmark", Map.of("precision", new String[] {"fp32", "int8"},
                "kernel", new String[] {"torch", "vector"}), NO_GPU);

        assertThat(plan.runs().get(0).label()).isEqualTo("DecodingBenchmark impl=naive");
        assertThat(plan.runs().get(0).params().get("precision")).containsExactly("fp32");
        assertThat(plan.runs().get(0).params().get("kernel")).containsExactly("auto");
        assertThat(plan.runs().get(1).params().get("precision")).containsExactly("fp32", "int8");
        assertThat(plan.runs().get(1).params().get("kernel")).containsExactly("torch", "vector");
    }

    @Test
    void withAGpuBothDevicesRunAndNothingIsSkipped() {
        Suite.Plan plan = Suite.plan(".*", Map.of(), null);

        assertThat(plan.runs()).allSatisfy(r -> assertThat(r.params().get("device")).containsExactly("cpu", "gpu"));
        assertThat(plan.skipped()).isEmpty();
    }

    @Test
    void theDecodingBenchmarkRunsOncePerImplementationAsTheParamListsThem() {
        Suite.Plan plan = Suite.plan("Decoding.*", Map.of("impl", new String[] {"project"},
                "model", new String[] {"flickr8k"}), NO_GPU);

        assertThat(plan.runs()).singleElement().satisfies(r -> {
            assertThat(r.benchmark()).isEqualTo("DecodingBenchmark");
            assertThat(r.params().get("impl")).containsExactly("project");
            assertThat(r.params().get("model")).containsExactly("flickr8k");
        });
        assertThat(plan.skipped()).singleElement().satisfies(s -> assertThat(s.params())
                .containsExactlyInAnyOrderEntriesOf(Map.of("impl", "project", "model", "flickr8k", "device", "gpu")));
    }

    @Test
    void defaultsAreTheSameAsBeforePicocli() {
        Suite.Cli cli = parse();

        assertThat(cli.mode).isEqualTo(Suite.Mode.QUICK);
        assertThat(cli.out).isEqualTo(Path.of("captioner-benchmarks", "results"));
        assertThat(cli.forks).isZero();
        assertThat(cli.include).isEqualTo(".*");
        assertThat(cli.params()).isEmpty();
    }

    @Test
    void aRepeatedOutTakesTheLastValueSoRunShDefaultsCanBeOverridden() {
        Suite.Cli cli = parse("--mode", "full", "--out", "captioner-benchmarks/results", "--out", "/tmp/x");

        assertThat(cli.mode).isEqualTo(Suite.Mode.FULL);
        assertThat(cli.out).isEqualTo(Path.of("/tmp/x"));
    }

    @Test
    void paramsAreSplitAtCommasAndRepeatable() {
        Suite.Cli cli = parse("--param", "model=flickr8k,large", "--param", "batch=1");

        assertThat(cli.params()).containsOnlyKeys("model", "batch");
        assertThat(cli.params().get("model")).containsExactly("flickr8k", "large");
        assertThat(cli.params().get("batch")).containsExactly("1");
    }

    @Test
    void aBadModeIsAUsageErrorNamingTheOption() {
        Map.Entry<Integer, String> r = execute("--mode", "slow");

        assertThat(r.getKey()).isEqualTo(2);
        assertThat(r.getValue()).contains("--mode").contains("slow").contains("Usage:");
    }

    @Test
    void aNonNumericForkCountIsAUsageErrorNamingTheOption() {
        Map.Entry<Integer, String> r = execute("--forks", "two");

        assertThat(r.getKey()).isEqualTo(2);
        assertThat(r.getValue()).contains("--forks").contains("two");
    }

    @Test
    void aNegativeForkCountIsAUsageErrorNamingTheOption() {
        Map.Entry<Integer, String> r = execute("--forks", "-1");

        assertThat(r.getKey()).isEqualTo(2);
        assertThat(r.getValue()).contains("--forks must be >= 0, found -1");
    }

    @Test
    void aParamWithoutValuesIsAUsageError() {
        Map.Entry<Integer, String> r = execute("--param", "model=");

        assertThat(r.getKey()).isEqualTo(2);
        assertThat(r.getValue()).contains("--param must be name=v1,v2, found 'model='");
    }

    @Test
    void anUnknownDeviceIsAUsageErrorNamingTheParam() {
        Map.Entry<Integer, String> r = execute("--param", "device=tpu");

        assertThat(r.getKey()).isEqualTo(2);
        assertThat(r.getValue()).contains("--param device must be cpu or gpu, found 'tpu'");
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        Map.Entry<Integer, String> r = execute("--modes", "quick");

        assertThat(r.getKey()).isEqualTo(2);
        assertThat(r.getValue()).contains("--modes");
    }

    @Test
    void helpListsEveryOptionAndExitsZero() {
        Map.Entry<Integer, String> r = execute("--help");

        assertThat(r.getKey()).isZero();
        assertThat(r.getValue()).contains("--mode", "--out", "--forks", "--include", "--param", "--help");
    }
}
