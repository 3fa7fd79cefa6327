package io.captioner.models.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsoleProgressTest {

    private static final int ONE_HOUR = 3_600_000;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private List<String> lines() {
        return Arrays.asList(text().split("\n"));
    }

    /** Waits (up to 10 s, for a busy machine) until the background thread has drawn the text. */
    private void awaitOutput(String expected) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!text().contains(expected) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(text()).contains(expected);
    }

    @Test
    void aStreamOtherThanTheConsoleIsNotATerminal() {
        assertThat(ConsoleProgress.isTerminal(out)).isFalse();
    }

    @Test
    void plainOutputHasNoCarriageReturnNorAnsiEscapeAndEndsWithDoneOfTotal() {
        try (ConsoleProgress bar = ConsoleProgress.start(out, "epoch 1/2", 250)) {
            for (int b = 1; b <= 250; b++) {
                bar.stepTo(b, "loss 2.5000");
            }
        }
        assertThat(text()).doesNotContain("\r").doesNotContain("\u001b").endsWith("\n");
        List<String> lines = lines();
        assertThat(lines).allSatisfy(line -> assertThat(line).startsWith("epoch 1/2").hasSizeLessThanOrEqualTo(
                ConsoleProgress.PLAIN_WIDTH).matches("\\p{ASCII}*"));
        assertThat(lines.get(lines.size() - 1)).contains("100%", "[", "250/250", "loss 2.5000");
    }

    @Test
    void plainOutputPrintsPerIntervalNotPerStep() {
        try (ConsoleProgress bar = ConsoleProgress.start(out, "encode", 0, 1000, false, ONE_HOUR)) {
            for (int i = 1; i <= 1000; i++) {
                bar.stepTo(i, "");
            }
        }
        // the line drawn at the start (unless close() overtook it) and the final one
        assertThat(lines()).hasSizeBetween(1, 2);
        assertThat(lines().get(lines().size() - 1)).contains("1000/1000");
    }

    @Test
    void plainOutputPrintsALineEachIntervalInWhichWorkAdvanced() throws InterruptedException {
        try (ConsoleProgress bar = ConsoleProgress.start(out, "encode", 0, 3, false, 20)) {
            awaitOutput("0/3");
            bar.stepTo(1, "");
            awaitOutput("1/3");
            Thread.sleep(200); // ten intervals without progress: no new line
            int linesWhileIdle = lines().size();
            bar.stepTo(2, "");
            awaitOutput("2/3");
            assertThat(linesWhileIdle).isEqualTo(2);
            bar.stepTo(3, "");
        }
        List<String> lines = lines();
        assertThat(lines).hasSizeBetween(4, 5); // 0/3, 1/3, 2/3, then 3/3 once or twice (interval + close)
        assertThat(lines.subList(0, 3)).satisfiesExactly(l -> assertThat(l).contains(" 0/3"),
                l -> assertThat(l).contains(" 1/3"), l -> assertThat(l).contains(" 2/3"));
        assertThat(lines.get(lines.size() - 1)).contains("3/3");
    }

    @Test
    void finalLineShowsTheLastStepWhenWorkStopsEarly() {
        try (ConsoleProgress bar = ConsoleProgress.start(out, "epoch 1/1", 10)) {
            bar.stepTo(4, "loss 3.0000");
        }
        List<String> lines = lines();
        assertThat(lines.get(lines.size() - 1)).contains("4/10", "loss 3.0000");
    }

    @Test
    void resumedWorkStartsAtItsDoneCount() {
        ConsoleProgress.start(out, "features train", 40, 100).close();
        assertThat(lines().get(0)).contains("40/100", " 40%");
    }

    @Test
    void closeTwiceDrawsNothingMore() {
        ConsoleProgress bar = ConsoleProgress.start(out, "x", 5);
        bar.stepTo(5, "");
        bar.close();
        String once = text();
        bar.close();
        assertThat(text()).isEqualTo(once);
    }

    @Test
    void terminalModeRedrawsOneLineAndEndsItOnClose() {
        try (ConsoleProgress bar = ConsoleProgress.start(out, "epoch 1/1", 0, 10, true, ONE_HOUR)) {
            bar.stepTo(10, "");
        }
        assertThat(text()).startsWith("\r").endsWith("\n").contains("10/10");
        assertThat(text().chars().filter(c -> c == '\n').count()).isEqualTo(1);
    }

    @Test
    void stepOutsideZeroToTotalIsRefused() {
        try (ConsoleProgress bar = ConsoleProgress.start(out, "x", 5)) {
            assertThatThrownBy(() -> bar.stepTo(6, "")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("[0, 5]").hasMessageContaining("found 6");
        }
    }
}
