package io.captioner.examples.server;

import io.captioner.Caption;
import io.javalin.openapi.OpenApiByFields;
import io.javalin.openapi.OpenApiDescription;
import io.javalin.openapi.OpenApiRequired;
import io.javalin.openapi.OpenApiNullable;
import java.util.List;

/**
 * The JSON body of a successful {@code POST /caption}: the caption, its score, its words, the
 * n-best alternatives when more than one caption was asked for, the model and the time taken.
 *
 * <p>Field names are the JSON keys. Instances are immutable.
 */
@OpenApiByFields
public final class CaptionResponse {

    /** The caption as a sentence: its tokens joined by single spaces. */
    @OpenApiDescription("The caption: its tokens joined by single spaces.")
    @OpenApiRequired
    public final String caption;

    /** Total natural-log probability of the caption under the model (0 is certain; lower is less likely). */
    @OpenApiDescription("Total natural-log probability of the caption (<= 0; higher is more likely).")
    public final double score;

    /** The words of the caption, in order, without start and end markers. */
    @OpenApiDescription("The words of the caption, without start/end markers.")
    @OpenApiRequired
    public final List<String> tokens;

    /** Other captions of the n-best list, best first; {@code null} (omitted) unless {@code nbest > 1}. */
    @OpenApiDescription("The other n-best captions, best first; present only when nbest > 1.")
    @OpenApiNullable
    public final List<Alternative> alternatives;

    /** Name of the model that wrote the caption. */
    @OpenApiDescription("Name of the model that wrote the caption.")
    @OpenApiRequired
    public final String model;

    /** Wall-clock milliseconds the server spent on the request, upload parsing and queueing included. */
    @OpenApiDescription("Milliseconds spent on the request: upload, queue wait, decoding and captioning.")
    public final double elapsed_ms;

    /**
     * Creates the response.
     *
     * @param caption the caption
     * @param tokens its words
     * @param score its total natural-log probability
     * @param alternatives the other n-best captions, or {@code null} when only one was requested
     * @param model the model name
     * @param elapsedMs the time spent, in milliseconds
     */
    public CaptionResponse(String caption, List<String> tokens, double score, List<Alternative> alternatives,
            String model, double elapsedMs) {
        this.caption = caption;
        this.tokens = List.copyOf(tokens);
        this.score = score;
        this.alternatives = alternatives == null ? null : List.copyOf(alternatives);
        this.model = model;
        this.elapsed_ms = elapsedMs;
    }

    /**
     * Builds the response for a caption from the captioner.
     *
     * @param best the caption, whose {@link Caption#alternatives()} become {@code alternatives}
     * @param withAlternatives whether n-best output was requested ({@code nbest > 1})
     * @param model the model name
     * @param elapsedMs the time spent, in milliseconds
     * @return the response
     */
    static CaptionResponse of(Caption best, boolean withAlternatives, String model, double elapsedMs) {
        List<Alternative> alts = withAlternatives
                ? best.alternatives().stream().map(c -> new Alternative(c.text(), c.logProb())).toList()
                : null;
        return new CaptionResponse(best.text(), best.tokens(), best.logProb(), alts, model, elapsedMs);
    }

    /** One other caption of an n-best list. */
    @OpenApiByFields
    public static final class Alternative {

        /** The caption as a sentence. */
        @OpenApiDescription("The caption.")
        public final String caption;

        /** Its total natural-log probability. */
        @OpenApiDescription("Total natural-log probability of this caption.")
        public final double score;

        /**
         * Creates the entry.
         *
         * @param caption the caption
         * @param score its total natural-log probability
         */
        public Alternative(String caption, double score) {
            this.caption = caption;
            this.score = score;
        }
    }
}
