package io.captioner.benchmarks;

import java.util.ArrayList;
import java.util.List;

/**
 * Judges whether resident memory is flat once a repeated workload has settled: a least-squares
 * line through the RSS samples of the second (steady-state) half of a soak, in KiB per 1,000
 * calls.
 *
 * <p>Only the second half counts because allocators and caches grow during the first calls (glibc
 * arenas, PyTorch's and oneDNN's caches, the JIT) and then level off; a leak is growth that goes
 * on. A line fit rather than last minus first, so one noisy sample at either end cannot decide
 * the verdict. Stateless and thread-safe.
 */
public final class SteadyState {

    /**
     * Growth below this many KiB per 1,000 calls (2 KiB per call) counts as flat. A leaked NDArray
     * of any size is caught by the live-NDArray count instead.
     */
    public static final double FLAT_KIB_PER_1000_CALLS = 2048;

    /**
     * Fitted growth over the steady-state half below this many MiB counts as flat whatever the
     * slope: the allocators move RSS by up to about 15 MiB between samples without any leak
     * (jemalloc purges freed pages on a timer, glibc trims arenas now and then; measured in
     * soaks of 300 to 10,000 calls), so a short soak of expensive calls cannot resolve less.
     */
    public static final double NOISE_FLOOR_MIB = 16;

    /** The fewest samples the steady-state half must hold for a line fit to mean anything. */
    public static final int MIN_STEADY_SAMPLES = 3;

    private SteadyState() {}

    /**
     * One RSS reading during a soak.
     *
     * @param calls calls completed after the warm-up when the sample was taken
     * @param rssKiB VmRSS in KiB at that point
     */
    public record Sample(long calls, long rssKiB) {}

    /**
     * The fitted growth of the steady-state half.
     *
     * @param fromCalls the call count of the first sample in the steady-state half
     * @param toCalls the call count of the last sample
     * @param samples how many samples the fit used
     * @param kibPer1000Calls the slope of the least-squares line, KiB per 1,000 calls
     * @param rssFirstKiB RSS of the first sample of the half
     * @param rssLastKiB RSS of the last sample of the half
     * @param rssPeakKiB the highest RSS of all samples (both halves)
     */
    public record Growth(long fromCalls, long toCalls, int samples, double kibPer1000Calls, long rssFirstKiB,
            long rssLastKiB, long rssPeakKiB) {

        /**
         * Returns whether RSS is flat: the slope is under {@link #FLAT_KIB_PER_1000_CALLS}, or the
         * fitted growth over the half is under {@link #NOISE_FLOOR_MIB}.
         *
         * @return true when RSS is flat in the steady state
         */
        public boolean flat() {
            return kibPer1000Calls < FLAT_KIB_PER_1000_CALLS || fittedGrowthMiB() < NOISE_FLOOR_MIB;
        }

        /**
         * Returns the fitted growth over the steady-state half, in MiB.
         *
         * @return slope times the span of the half
         */
        public double fittedGrowthMiB() {
            return kibPer1000Calls * (toCalls - fromCalls) / 1000.0 / 1024.0;
        }
    }

    /**
     * Returns the growth from the first to the last sample, for a soak too short to have a
     * steady-state half (one stopped early because RSS grew too fast).
     *
     * @param samples RSS readings in the order taken, at least two, call counts increasing
     * @return the growth between the first and last sample
     * @throws IllegalArgumentException if there are fewer than two samples or the last call count
     *     is not greater than the first
     */
    public static Growth endToEnd(List<Sample> samples) {
        if (samples == null || samples.size() < 2) {
            throw new IllegalArgumentException("need at least 2 samples, found "
                    + (samples == null ? 0 : samples.size()));
        }
        Sample a = samples.get(0);
        Sample b = samples.get(samples.size() - 1);
        if (b.calls() <= a.calls()) {
            throw new IllegalArgumentException("the last sample's calls must be greater than the first's ("
                    + a.calls() + "), found " + b.calls());
        }
        long peak = samples.stream().mapToLong(Sample::rssKiB).max().getAsLong();
        double slope = (double) (b.rssKiB() - a.rssKiB()) / (b.calls() - a.calls());
        return new Growth(a.calls(), b.calls(), samples.size(), slope * 1000, a.rssKiB(), b.rssKiB(), peak);
    }

    /**
     * Fits the steady-state growth of a soak.
     *
     * @param samples RSS readings in the order taken, call counts strictly increasing
     * @return the growth of the samples whose call count is at least halfway between the first
     *     and the last sample's
     * @throws IllegalArgumentException if the call counts do not increase, or the second half
     *     holds fewer than {@link #MIN_STEADY_SAMPLES} samples
     */
    public static Growth of(List<Sample> samples) {
        if (samples == null || samples.isEmpty()) {
            throw new IllegalArgumentException("samples must not be empty");
        }
        long peak = Long.MIN_VALUE;
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            if (i > 0 && s.calls() <= samples.get(i - 1).calls()) {
                throw new IllegalArgumentException("samples[" + i + "].calls must be greater than "
                        + samples.get(i - 1).calls() + ", found " + s.calls());
            }
            peak = Math.max(peak, s.rssKiB());
        }
        long first = samples.get(0).calls();
        long last = samples.get(samples.size() - 1).calls();
        double middle = first + (last - first) / 2.0;
        List<Sample> half = new ArrayList<>();
        for (Sample s : samples) {
            if (s.calls() >= middle) {
                half.add(s);
            }
        }
        if (half.size() < MIN_STEADY_SAMPLES) {
            throw new IllegalArgumentException("the steady-state half (calls >= " + (long) Math.ceil(middle)
                    + ") must hold at least " + MIN_STEADY_SAMPLES + " samples, found " + half.size());
        }
        double meanX = 0;
        double meanY = 0;
        for (Sample s : half) {
            meanX += s.calls();
            meanY += s.rssKiB();
        }
        meanX /= half.size();
        meanY /= half.size();
        double sxy = 0;
        double sxx = 0;
        for (Sample s : half) {
            double dx = s.calls() - meanX;
            sxy += dx * (s.rssKiB() - meanY);
            sxx += dx * dx;
        }
        double slope = sxy / sxx;
        Sample a = half.get(0);
        Sample b = half.get(half.size() - 1);
        return new Growth(a.calls(), b.calls(), half.size(), slope * 1000, a.rssKiB(), b.rssKiB(), peak);
    }
}
