package io.captioner.models.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    @Test
    void rendersCountsPercentStatusAndEtaFromTheRateSoFar() {
        AtomicLong clock = new AtomicLong(0);
        ProgressBar bar = new ProgressBar(new PrintStream(new ByteArrayOutputStream()), "epoch 1/2", 100, clock::get);
        String line = bar.render(25, "loss 2.5000", 10_000_000_000L); // 25 done in 10 s → 30 s left
        assertThat(line).startsWith("epoch 1/2 [======>").contains("25/100", " 25%", "loss 2.5000", "ETA 00:30");
    }

    @Test
    void redrawsAtMostEvery200MillisecondsButAlwaysAtTheEnd() {
        AtomicLong clock = new AtomicLong(0);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), "x", 10, clock::get);
        bar.update(1, "");
        clock.set(100_000_000L);
        bar.update(2, "");
        clock.set(150_000_000L);
        bar.update(10, "");
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out.split("\r", -1)).hasSize(3); // leading empty piece + two drawings
        assertThat(out).contains("1/10").doesNotContain("2/10").contains("10/10");
    }

    @Test
    void formatsLongDurationsWithHours() {
        assertThat(ProgressBar.formatSeconds(59.4)).isEqualTo("00:59");
        assertThat(ProgressBar.formatSeconds(3725)).isEqualTo("1:02:05");
    }
}
