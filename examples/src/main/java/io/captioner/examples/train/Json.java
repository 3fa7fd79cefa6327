package io.captioner.examples.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

/** The examples' JSON output: one Gson, and figures rounded for people to read. */
final class Json {

    /** Compact output, no HTML escaping. */
    static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    private Json() {}

    /**
     * Rounds a figure half-up to a number of decimals.
     *
     * @param value the figure
     * @param decimals digits after the point
     * @return the rounded value
     */
    static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
