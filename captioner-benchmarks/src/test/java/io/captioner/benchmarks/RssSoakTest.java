package io.captioner.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RssSoakTest {

    @BeforeEach
    void linuxOnly() {
        Assumptions.assumeTrue(NativeMemory.rssKiB() > 0, "VmRSS is read from /proc/self/status (Linux only)");
    }

    @Test
    void workloadThatKeepsNativeMemoryIsReportedAsNotFlat() {
        List<ByteBuffer> kept = new ArrayList<>();
        // 64 KiB of zeroed (so resident) native memory kept per call: 64 MiB per 1,000 calls
        RssSoak.Result r = RssSoak.soak("leaky", () -> kept.add(ByteBuffer.allocateDirect(64 << 10)), 10, 1_200,
                12, RssSoak.Threads.FIXED, m -> { });
        assertThat(r.calls()).isEqualTo(1_200);
        assertThat(r.samples()).hasSize(13);
        assertThat(r.growth().kibPer1000Calls()).isGreaterThan(32 * 1024);
        assertThat(r.flat()).isFalse();
        assertThat(kept).hasSize(1_210);
    }

    @Test
    void workloadThatFreesWhatItUsesIsFlatOnNewThreads() {
        long[] sum = {0};
        RssSoak.Result r = RssSoak.soak("no-op", () -> sum[0] += System.nanoTime() & 1, 10, 1_200, 12,
                RssSoak.Threads.NEW, m -> { });
        assertThat(r.flat()).as("growth %s", r.growth()).isTrue();
        assertThat(r.threads()).isEqualTo(RssSoak.Threads.NEW);
        assertThat(r.json().get("samplesCallsRssKiB").getAsJsonArray()).hasSize(13);
    }

    @Test
    void failingCallIsReportedWithItsCause() {
        assertThatThrownBy(() -> RssSoak.soak("broken", () -> {
            throw new IllegalArgumentException("bad input 7");
        }, 1, 10, 6, RssSoak.Threads.NEW, m -> { })).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("bad input 7");
    }

    @Test
    void planRejectsTooFewSamplesForASteadyStateHalf() {
        assertThatThrownBy(() -> new RssSoak.Plan(10, 10, 4, 5, List.of(RssSoak.Threads.FIXED)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("samples must be >= 6, found 5");
        assertThatThrownBy(() -> new RssSoak.Plan(10, 10, 4, 10, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("threads");
    }
}
