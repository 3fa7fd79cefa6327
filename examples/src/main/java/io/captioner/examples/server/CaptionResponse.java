package io.captioner.examples.server;

import io.captioner.Caption;
import io.javalin.openapi.OpenApiByFields;
import io.javalin.openapi.OpenApiDescription;
import io.javalin.openapi.OpenApiRequired;
import io.javalin.openapi.OpenApiNullable;
import java.util.List;

/**
 * The JSON body of a successful {@code POST /caption}: the caption, its score, its words, the
 * n-best alternatives when more than one caption was asked for, the model and the time taken, and
 * the per-word attention maps when they were asked for ({@link Attention}).
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

    /** Where the model looked for each word; {@code null} (omitted) unless attention was asked for. */
    @OpenApiDescription("Per-word attention maps; present only when attention was requested from a model that has it.")
    @OpenApiNullable
    public final Attention attention;

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
        this(caption, tokens, score, alternatives, model, elapsedMs, null);
    }

    /**
     * Creates the response with attention maps.
     *
     * @param caption the caption
     * @param tokens its words
     * @param score its total natural-log probability
     * @param alternatives the other n-best captions, or {@code null} when only one was requested
     * @param model the model name
     * @param elapsedMs the time spent, in milliseconds
     * @param attention one map per word of {@code tokens}, or {@code null} when not requested
     * @throws IllegalArgumentException if the attention maps are not one per token
     */
    public CaptionResponse(String caption, List<String> tokens, double score, List<Alternative> alternatives,
            String model, double elapsedMs, Attention attention) {
        if (attention != null && attention.tokens.size() != tokens.size()) {
            throw new IllegalArgumentException("attention needs one map per token, found " + attention.tokens.size()
                    + " maps for " + tokens.size() + " tokens");
        }
        this.attention = attention;
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

    /**
     * Returns a copy of this response carrying attention maps.
     *
     * @param maps one map per word of {@code tokens}
     * @return the new response
     * @throws IllegalArgumentException if the maps are not one per token
     */
    CaptionResponse withAttention(Attention maps) {
        return new CaptionResponse(caption, tokens, score, alternatives, model, elapsed_ms, maps);
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

    /**
     * Where the model looked for each word of the caption: per token a map of H × W weights over
     * the encoder's feature grid, which covers the image the model saw (its input after resizing
     * and cropping), and where that image lies in the upload so that a client can draw each map
     * over the picture it sent.
     *
     * <p>JSON: {@code {"height": H, "width": W, "image_width": 224, "image_height": 224,
     * "region": {"x": 16, "y": 0, "width": 288, "height": 288}, "tokens": [[H*W weights], ...]}}.
     * Row t of {@code tokens} belongs to word t of the caption; within a row, grid cell (y, x) is
     * at index {@code y * W + x}, y counted from the top and x from the left, and the weights sum
     * to 1. Instances are immutable.
     */
    @OpenApiByFields
    public static final class Attention {

        /** H, rows of the feature grid. */
        @OpenApiDescription("Rows of the attention grid (H).")
        @OpenApiRequired
        public final int height;

        /** W, columns of the feature grid. */
        @OpenApiDescription("Columns of the attention grid (W).")
        @OpenApiRequired
        public final int width;

        /** Width in pixels of the image the model saw (after resizing and cropping). */
        @OpenApiDescription("Width in pixels of the image the model saw, after its resize and crop.")
        public final int image_width;

        /** Height in pixels of the image the model saw. */
        @OpenApiDescription("Height in pixels of the image the model saw, after its resize and crop.")
        public final int image_height;

        /** The part of the uploaded image that the model saw, in the upload's pixels; {@code null} for all of it. */
        @OpenApiDescription("The part of the uploaded image the model saw (the grid covers it), in the upload's "
                + "pixels; absent when it saw the whole image.")
        @OpenApiNullable
        public final Region region;

        /** Per token, H·W weights with grid cell (y, x) at {@code y * W + x}. */
        @OpenApiDescription("Per word of the caption, H*W weights, cell (y, x) at index y*W + x, summing to 1.")
        @OpenApiRequired
        public final List<float[]> tokens;

        /**
         * Creates the maps.
         *
         * @param height H, at least 1
         * @param width W, at least 1
         * @param imageWidth width of the image the model saw, in pixels
         * @param imageHeight height of the image the model saw, in pixels
         * @param region the part of the upload the model saw, or {@code null} for the whole upload
         * @param tokens per token, H·W weights; copied
         * @throws IllegalArgumentException if H or W is below 1 or a row is not H·W long
         */
        public Attention(int height, int width, int imageWidth, int imageHeight, Region region, List<float[]> tokens) {
            if (height < 1 || width < 1) {
                throw new IllegalArgumentException("attention grid must be at least 1 x 1, found " + height + " x "
                        + width);
            }
            for (int t = 0; t < tokens.size(); t++) {
                if (tokens.get(t).length != height * width) {
                    throw new IllegalArgumentException("attention row " + t + " must have " + height * width
                            + " weights (" + height + " x " + width + "), found " + tokens.get(t).length);
                }
            }
            this.height = height;
            this.width = width;
            this.image_width = imageWidth;
            this.image_height = imageHeight;
            this.region = region;
            this.tokens = tokens.stream().map(float[]::clone).toList();
        }
    }

    /** A rectangle of the uploaded image, in its pixels, origin at the top left. */
    @OpenApiByFields
    public static final class Region {

        /** Left edge. */
        @OpenApiDescription("Left edge, pixels from the left of the upload.")
        public final int x;

        /** Top edge. */
        @OpenApiDescription("Top edge, pixels from the top of the upload.")
        public final int y;

        /** Width. */
        @OpenApiDescription("Width in pixels.")
        public final int width;

        /** Height. */
        @OpenApiDescription("Height in pixels.")
        public final int height;

        /**
         * Creates the rectangle.
         *
         * @param x left edge
         * @param y top edge
         * @param width width, pixels
         * @param height height, pixels
         */
        public Region(int x, int y, int width, int height) {
            this.x = x;
            this.y = y;
            this.width = width;
            this.height = height;
        }
    }
}
