package io.captioner.benchmarks;

import java.util.Random;

/** Deterministic inputs shared by the benchmarks, so every run does the same work. */
public final class Workloads {

    /** Steps every benchmarked decode runs: no early end, so the work per call is fixed. */
    public static final int STEPS = 16;

    private Workloads() {}

    /**
     * Returns B random image feature rows, like a CNN's non-negative pooled activations.
     *
     * @param batch B
     * @param featureSize D
     * @param seed the random seed
     * @return {@code [B][D]} floats in [0, 1)
     */
    public static float[][] features(int batch, int featureSize, long seed) {
        Random random = new Random(seed);
        float[][] f = new float[batch][featureSize];
        for (float[] row : f) {
            for (int i = 0; i < row.length; i++) {
                row[i] = random.nextFloat();
            }
        }
        return f;
    }

    /**
     * Parses the {@code search} parameter.
     *
     * @param search {@code greedy} or {@code beamK} such as {@code beam5}
     * @return the beam width, 1 for greedy
     * @throws IllegalArgumentException for anything else
     */
    public static int beamWidth(String search) {
        if (search.equals("greedy")) {
            return 1;
        }
        if (search.startsWith("beam")) {
            try {
                int k = Integer.parseInt(search.substring(4));
                if (k >= 2) {
                    return k;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new IllegalArgumentException("search must be greedy or beamK with K >= 2, found '" + search + "'");
    }
}
