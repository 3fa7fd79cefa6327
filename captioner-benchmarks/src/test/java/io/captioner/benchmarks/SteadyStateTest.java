package io.captioner.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SteadyStateTest {

    /** Samples every 500 calls up to 10,000; RSS given per sample by the function. */
    private static List<SteadyState.Sample> series(java.util.function.LongUnaryOperator rssAt) {
        List<SteadyState.Sample> s = new ArrayList<>();
        for (long calls = 0; calls <= 10_000; calls += 500) {
            s.add(new SteadyState.Sample(calls, rssAt.applyAsLong(calls)));
        }
        return s;
    }

    @Test
    void growthDuringWarmUpHalfIsIgnoredWhenTheSecondHalfIsFlat() {
        // climbs 400 MiB over the first 4,000 calls (allocator caches filling), then stays put
        SteadyState.Growth g = SteadyState.of(series(c -> 1_000_000 + Math.min(c, 4_000) * 100));
        assertThat(g.kibPer1000Calls()).isCloseTo(0, within(1e-9));
        assertThat(g.flat()).isTrue();
        assertThat(g.fromCalls()).isEqualTo(5_000);
        assertThat(g.toCalls()).isEqualTo(10_000);
        assertThat(g.samples()).isEqualTo(11);
        assertThat(g.rssPeakKiB()).isEqualTo(1_400_000);
    }

    @Test
    void steadyLeakIsMeasuredAsItsSlopePerThousandCalls() {
        // 4 KiB per call all along: 4,000 KiB per 1,000 calls, about 20 MiB over the 5,000-call half
        SteadyState.Growth g = SteadyState.of(series(c -> 1_000_000 + 4 * c));
        assertThat(g.kibPer1000Calls()).isCloseTo(4_000, within(1e-6));
        assertThat(g.fittedGrowthMiB()).isCloseTo(4_000 * 5.0 / 1024, within(1e-9));
        assertThat(g.flat()).isFalse();
    }

    @Test
    void growthUnderTheNoiseFloorIsFlatEvenAtASteepSlope() {
        // 300 expensive calls, 10 MiB up over the steady half: 34 KiB per call, but within the
        // allocators' sample-to-sample noise
        List<SteadyState.Sample> s = new ArrayList<>();
        for (long calls = 0; calls <= 300; calls += 20) {
            s.add(new SteadyState.Sample(calls, 1_300_000 + calls * 10 * 1024 / 150));
        }
        SteadyState.Growth g = SteadyState.of(s);
        assertThat(g.kibPer1000Calls()).isGreaterThan(SteadyState.FLAT_KIB_PER_1000_CALLS);
        assertThat(g.fittedGrowthMiB()).isLessThan(SteadyState.NOISE_FLOOR_MIB);
        assertThat(g.flat()).isTrue();
    }

    @Test
    void longSoakWithASlopeUnderTheLimitIsFlatAboveTheNoiseFloor() {
        // 1 KiB per call over 100,000 calls: about 49 MiB over the half, yet under 2 KiB per call
        List<SteadyState.Sample> s = new ArrayList<>();
        for (long calls = 0; calls <= 100_000; calls += 5_000) {
            s.add(new SteadyState.Sample(calls, 1_000_000 + calls));
        }
        SteadyState.Growth g = SteadyState.of(s);
        assertThat(g.fittedGrowthMiB()).isGreaterThan(SteadyState.NOISE_FLOOR_MIB);
        assertThat(g.flat()).isTrue();
    }

    @Test
    void slopeOverTheLimitAndGrowthOverTheFloorIsNotFlat() {
        // 10% over the limit for 100,000 calls
        long perSample = (long) (SteadyState.FLAT_KIB_PER_1000_CALLS * 5 * 1.1);
        List<SteadyState.Sample> s = new ArrayList<>();
        for (long calls = 0; calls <= 100_000; calls += 5_000) {
            s.add(new SteadyState.Sample(calls, 1_000_000 + calls / 5_000 * perSample));
        }
        assertThat(SteadyState.of(s).flat()).isFalse();
    }

    @Test
    void aFitIsNotFooledByAlternatingNoise() {
        // +/- 8 MiB alternating around a flat line: last minus first would be 16 MiB, the fit ~0
        SteadyState.Growth g = SteadyState.of(series(c -> 1_200_000 + ((c / 500) % 2 == 0 ? -8_192 : 8_192)));
        assertThat(Math.abs(g.kibPer1000Calls())).isLessThan(SteadyState.FLAT_KIB_PER_1000_CALLS);
        assertThat(g.rssLastKiB() - g.rssFirstKiB()).isEqualTo(0);
    }

    @Test
    void callCountsThatDoNotIncreaseAreRejected() {
        List<SteadyState.Sample> s = new ArrayList<>(series(c -> 1_000));
        s.set(3, new SteadyState.Sample(s.get(2).calls(), 1_000));
        assertThatThrownBy(() -> SteadyState.of(s)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("samples[3].calls").hasMessageContaining("1000");
    }

    @Test
    void tooFewSamplesInTheSecondHalfAreRejected() {
        List<SteadyState.Sample> s = List.of(new SteadyState.Sample(0, 1), new SteadyState.Sample(1, 1),
                new SteadyState.Sample(2, 1), new SteadyState.Sample(100, 1));
        assertThatThrownBy(() -> SteadyState.of(s)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 3 samples, found 1");
    }

    @Test
    void endToEndGivesTheSlopeBetweenFirstAndLastSample() {
        SteadyState.Growth g = SteadyState.endToEnd(List.of(new SteadyState.Sample(0, 1_000_000),
                new SteadyState.Sample(60, 2_500_000), new SteadyState.Sample(120, 4_000_000)));
        assertThat(g.kibPer1000Calls()).isCloseTo(3_000_000.0 / 120 * 1000, within(1e-6));
        assertThat(g.rssPeakKiB()).isEqualTo(4_000_000);
        assertThat(g.flat()).isFalse();
        assertThatThrownBy(() -> SteadyState.endToEnd(List.of(new SteadyState.Sample(0, 1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 2 samples");
    }
}
