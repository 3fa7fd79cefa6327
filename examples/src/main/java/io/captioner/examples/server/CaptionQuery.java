package io.captioner.examples.server;

import io.captioner.DecodingOptions;
import java.util.List;
import java.util.Map;

/**
 * The decoding options of a {@code POST /caption} request, read from its query parameters
 * {@code beam}, {@code nbest}, {@code max_length} and {@code attention}.
 *
 * <p>Rules: {@code beam} is an integer in [1, {@value #MAX_BEAM}], {@code nbest} in [1, beam] (when
 * {@code nbest} is given without {@code beam}, the beam is widened to {@code nbest}),
 * {@code max_length} in [1, {@value #MAX_LENGTH}], {@code attention} true or false; each parameter at
 * most once; any other
 * parameter is refused so that a misspelt option is not silently ignored. The captioner's own
 * defaults (a loaded model's saved options) are the starting point, and each given parameter
 * overrides only itself ({@link #options(DecodingOptions)}).
 *
 * @param beam the beam width, or 0 when not given
 * @param nbest the number of captions to return, or 0 when not given
 * @param maxLength the maximum caption length in tokens, or 0 when not given
 * @param attention whether the per-word attention maps were asked for ({@code attention=true})
 */
record CaptionQuery(int beam, int nbest, int maxLength, boolean attention) {

    /** Widest beam a request may ask for; bounds the work one request can cause. */
    static final int MAX_BEAM = 20;
    /** Longest caption a request may ask for, in tokens. */
    static final int MAX_LENGTH = 100;

    private static final List<String> KNOWN = List.of("beam", "nbest", "max_length", "attention");

    /**
     * Reads and validates the query parameters.
     *
     * @param params the query parameters, name to values
     * @return the options
     * @throws ApiException with status 400 naming the parameter, the rule and the value found
     */
    static CaptionQuery parse(Map<String, List<String>> params) {
        for (String name : params.keySet()) {
            if (!KNOWN.contains(name)) {
                throw new ApiException(400, "unknown query parameter '" + name + "'; known: "
                        + String.join(", ", KNOWN));
            }
        }
        int beam = integer(params, "beam", MAX_BEAM);
        int nbest = integer(params, "nbest", MAX_BEAM);
        int maxLength = integer(params, "max_length", MAX_LENGTH);
        if (beam > 0 && nbest > beam) {
            throw new ApiException(400, "query parameter 'nbest' must not exceed 'beam' (" + beam
                    + "), found " + nbest);
        }
        return new CaptionQuery(beam, nbest, maxLength, bool(params, "attention"));
    }

    private static boolean bool(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        if (values == null || values.isEmpty()) {
            return false;
        }
        if (values.size() > 1) {
            throw new ApiException(400, "query parameter '" + name + "' must be given once, found "
                    + values.size() + " values " + values);
        }
        String raw = values.get(0).trim().toLowerCase(java.util.Locale.ROOT);
        if (!raw.equals("true") && !raw.equals("false")) {
            throw new ApiException(400, "query parameter '" + name + "' must be true or false, found '"
                    + values.get(0) + "'");
        }
        return raw.equals("true");
    }

    private static int integer(Map<String, List<String>> params, String name, int max) {
        List<String> values = params.get(name);
        if (values == null || values.isEmpty()) {
            return 0;
        }
        if (values.size() > 1) {
            throw new ApiException(400, "query parameter '" + name + "' must be given once, found "
                    + values.size() + " values " + values);
        }
        String raw = values.get(0).trim();
        int value;
        try {
            value = Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            value = -1;
        }
        if (value < 1 || value > max) {
            throw new ApiException(400, "query parameter '" + name + "' must be an integer from 1 to "
                    + max + ", found '" + values.get(0) + "'");
        }
        return value;
    }

    /**
     * Returns the decoding options of this request: the captioner's defaults with each given
     * parameter applied, and nothing else changed except where the combination would otherwise be
     * invalid.
     *
     * <ul>
     *   <li>{@code beam=k} sets the width: beam search of width k, or greedy search for
     *       {@code k = 1}; the default n-best is kept when it fits in k, else lowered to k.</li>
     *   <li>{@code nbest=n} sets the number of captions; when the default search cannot return
     *       n (greedy, sampling or a narrower beam) and n is above 1, it becomes beam search of
     *       width n.</li>
     *   <li>{@code max_length=m} sets the length limit; a default minimum above m is lowered to
     *       m.</li>
     * </ul>
     *
     * <p>With no parameter the defaults are returned as they are.
     *
     * @param defaults the captioner's {@link io.captioner.Captioner#defaultOptions()}
     * @return the options
     * @throws IllegalArgumentException if the combination with the defaults is invalid
     */
    DecodingOptions options(DecodingOptions defaults) {
        if (beam == 0 && nbest == 0 && maxLength == 0 && !attention) {
            return defaults;
        }
        DecodingOptions.Builder b = defaults.toBuilder();
        if (attention) {
            b.optAttention(true);
        }
        if (beam > 0) {
            b.optStrategy(beam > 1 ? DecodingOptions.Strategy.BEAM : DecodingOptions.Strategy.GREEDY)
                    .optBeamSize(beam)
                    .optNBest(nbest > 0 ? nbest : Math.min(defaults.nBest(), beam));
        } else if (nbest > 0) {
            b.optNBest(nbest);
            boolean beamHoldsIt = defaults.strategy() == DecodingOptions.Strategy.BEAM
                    && defaults.beamSize() >= nbest;
            if (nbest > 1 && !beamHoldsIt) {
                b.optStrategy(DecodingOptions.Strategy.BEAM).optBeamSize(nbest);
            }
        }
        if (maxLength > 0) {
            b.optMaxLength(maxLength);
            if (defaults.minLength() > maxLength) {
                b.optMinLength(maxLength);
            }
        }
        return b.build();
    }
}
