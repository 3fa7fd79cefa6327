package io.captioner.examples.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class LoadTestTest {

    private static String[] run(int[] exit, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new LoadTest());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        exit[0] = cli.execute(args);
        return new String[] {out.toString(), err.toString()};
    }

    @Test
    void measuresEachConcurrencyLevelAgainstALoopbackServer() {
        int[] exit = new int[1];
        String[] io;
        try (SizeCaptioner captioner = new SizeCaptioner(Duration.ZERO)) {
            CaptionServer server = CaptionServer.builder().setCaptioner(captioner)
                    .setModelName("size-only test captioner").optPort(0).optWorkers(3).build().start();
            try {
                io = run(exit, "--url", server.uri().toString(), "--concurrency", "1,3", "--requests", "12",
                        "--warmup", "2");
            } finally {
                server.stop();
            }
        }

        assertThat(exit[0]).as(io[1]).isZero();
        assertThat(io[0]).contains("model: size-only test captioner");
        String[] lines = io[0].strip().split("\n");
        assertThat(lines).hasSize(4);
        assertThat(lines[2].trim().split("\\s+")).startsWith("0", "1", "12", "12", "0");
        assertThat(lines[3].trim().split("\\s+")).startsWith("0", "3", "12", "12", "0");
    }

    @Test
    void measuresSeveralServersInTurnAtEachLevelNamingTheirBatching() {
        int[] exit = new int[1];
        String[] io;
        try (SizeCaptioner captioner = new SizeCaptioner(Duration.ZERO)) {
            CaptionServer batched = CaptionServer.builder().setCaptioner(captioner).setModelName("m").optPort(0)
                    .build().start();
            CaptionServer single = CaptionServer.builder().setCaptioner(captioner).setModelName("m").optPort(0)
                    .optMaxBatch(1).build().start();
            try {
                io = run(exit, "--url", batched.uri() + "," + single.uri(), "--concurrency", "1,2", "--requests", "6",
                        "--warmup", "1");
            } finally {
                batched.stop();
                single.stop();
            }
        }

        assertThat(exit[0]).as(io[1]).isZero();
        String[] lines = io[0].strip().split("\n");
        assertThat(lines).hasSize(7);
        assertThat(lines[0]).contains("max-batch 16, window 2 ms, 1 worker(s)");
        assertThat(lines[1]).contains("max-batch 1, window 2 ms");
        assertThat(lines[3].trim().split("\\s+")).startsWith("0", "1", "6", "6", "0");
        assertThat(lines[3]).contains("max-batch 16");
        assertThat(lines[4]).contains("max-batch 1,");
        assertThat(lines[5].trim().split("\\s+")).startsWith("0", "2", "6", "6", "0");
        assertThat(lines[5]).contains("max-batch 16");
        assertThat(lines[6]).contains("max-batch 1,");
    }

    @Test
    void measuresAgainWhileSlowClientsHoldConnections() throws Exception {
        InetAddress attacker = InetAddress.getByName("127.0.0.2");
        assumeTrue(SlowClients.canBind(attacker), "cannot connect from 127.0.0.2 on this system: skipped");
        int[] exit = new int[1];
        String[] io;
        try (SizeCaptioner captioner = new SizeCaptioner(Duration.ZERO)) {
            CaptionServer server = CaptionServer.builder().setCaptioner(captioner).setModelName("m").optPort(0)
                    .optMaxConnectionsPerAddress(4).build().start();
            try {
                io = run(exit, "--url", server.uri().toString(), "--concurrency", "2", "--requests", "10",
                        "--warmup", "1", "--slow-clients", "0,6", "--slow-mode", "silent",
                        "--slow-from", "127.0.0.2");
            } finally {
                server.stop();
            }
        }

        assertThat(exit[0]).as(io[1]).isZero();
        String[] lines = io[0].strip().split("\n");
        assertThat(lines).hasSize(5);
        assertThat(lines[2].trim().split("\\s+")).startsWith("0", "2", "10", "10", "0");
        assertThat(lines[3].trim().split("\\s+")).startsWith("6", "2", "10", "10", "0");
        assertThat(lines[4]).contains("slow clients (silent)").contains("closed by the server");
    }

    @Test
    void slowClientsMustComeFromLoopbackAddresses() {
        int[] exit = new int[1];
        String[] io = run(exit, "--url", "http://127.0.0.1:9", "--slow-clients", "5", "--slow-from", "192.0.2.7");

        assertThat(exit[0]).isEqualTo(2);
        assertThat(io[1]).contains("--slow-from").contains("192.0.2.7");
    }

    @Test
    void refusesServersOutsideThisMachine() {
        int[] exit = new int[1];
        String[] io = run(exit, "--url", "http://192.0.2.1:8080", "--requests", "1");

        assertThat(exit[0]).isEqualTo(2);
        assertThat(io[1]).contains("loopback").contains("192.0.2.1");
    }

    @Test
    void percentilesUseNearestRank() {
        double[] latencies = new double[100];
        for (int i = 0; i < 100; i++) {
            latencies[i] = 100 - i;
        }
        LoadTest.Level level = new LoadTest.Level(1, 100, 100, 0, 2.0, latencies);

        assertThat(level.percentile(50)).isEqualTo(50.0);
        assertThat(level.percentile(99)).isEqualTo(99.0);
        assertThat(level.percentile(100)).isEqualTo(100.0);
        assertThat(level.requestsPerSecond()).isEqualTo(50.0);
    }
}
