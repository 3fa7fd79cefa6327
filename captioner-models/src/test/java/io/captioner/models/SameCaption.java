package io.captioner.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.captioner.Caption;

/**
 * Compares captions as "the same caption": equal words (also of every alternative) and equal
 * log-probabilities up to float rounding, which differs between batch sizes and threads because
 * PyTorch's kernels sum in a different order.
 */
public final class SameCaption {

    /** Largest accepted difference of a log-probability. */
    public static final double TOLERANCE = 1e-4;

    private SameCaption() {}

    /**
     * Asserts that two captions are the same.
     *
     * @param actual the caption found
     * @param expected the caption wanted
     * @param what a label for failure messages
     */
    public static void assertSame(Caption actual, Caption expected, String what) {
        assertThat(actual.tokens()).as(what + " tokens").isEqualTo(expected.tokens());
        assertThat(actual.logProb()).as(what + " logProb").isCloseTo(expected.logProb(), within(TOLERANCE));
        assertThat(actual.alternatives()).as(what + " alternatives").hasSameSizeAs(expected.alternatives());
        for (int i = 0; i < expected.alternatives().size(); i++) {
            assertSame(actual.alternatives().get(i), expected.alternatives().get(i), what + " alternative " + i);
        }
    }
}
