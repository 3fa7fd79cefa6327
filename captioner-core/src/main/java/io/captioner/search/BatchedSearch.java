package io.captioner.search;

import io.captioner.CaptionDecoder;
import io.captioner.CaptionerException;
import io.captioner.DecoderState;
import io.captioner.DecodingOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The batching loop shared by all searches: one decoder step per time step over the live rows of
 * all unfinished images, finished images dropping out, every state closed.
 */
abstract class BatchedSearch implements CaptionSearch {

    /** The per-image bookkeeping of a search. */
    interface Track {

        /** Returns how many rows (beams) this image has in the current batch. */
        int live();

        /** Returns whether this image is done; a done image has no rows. */
        boolean done();

        /**
         * Consumes this image's rows of a step and chooses its next rows.
         *
         * @param logProbs the step's log-probabilities, all rows; this image's rows may be modified
         * @param attention the step's attention weights, all rows, or null when not requested;
         *     rows are kept by reference, never modified
         * @param rowOffset index of this image's first row in {@code logProbs}
         * @param select receives, for each next row, the index of the current row it continues
         * @param previous receives, for each next row, the token it feeds to the next step
         * @param out the first free index of {@code select} and {@code previous}
         * @return the new first free index; equal to {@code out} when the image is done
         */
        int advance(float[][] logProbs, float[][] attention, int rowOffset, int[] select, int[] previous,
                int out);

        /** Returns the result of a done image. */
        SearchResult result();
    }

    private final DecodingOptions options;

    BatchedSearch(DecodingOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    @Override
    public final DecodingOptions options() {
        return options;
    }

    /**
     * Creates the tracks of one decode call; they may share scratch buffers.
     *
     * @param grid the feature map's {height, width} when attention weights are recorded, else null
     */
    abstract Track[] tracks(int images, int vocabularySize, int[] grid);

    /** The most rows one image can have at once. */
    abstract int maxRowsPerImage();

    @Override
    public final List<SearchResult> decode(CaptionDecoder decoder, float[][] features) {
        Objects.requireNonNull(decoder, "decoder");
        if (features == null) {
            throw new IllegalArgumentException("features must not be null");
        }
        for (int i = 0; i < features.length; i++) {
            if (features[i] == null) {
                throw new IllegalArgumentException("features[" + i + "] must not be null");
            }
        }
        int images = features.length;
        if (images == 0) {
            return List.of();
        }
        int vocabularySize = decoder.vocabularySize();
        if (vocabularySize <= TokenIds.UNK) {
            throw new CaptionerException("decoder vocabularySize must exceed " + TokenIds.UNK
                    + " (ids 0-3 are <pad>, <start>, <end>, <unk>), found " + vocabularySize);
        }
        int[] grid = options.attention() ? attentionGrid(decoder) : null;
        Track[] tracks = tracks(images, vocabularySize, grid);
        int capacity = images * maxRowsPerImage();
        int[] active = new int[images];
        for (int i = 0; i < images; i++) {
            active[i] = i;
        }
        int activeCount = images;
        int[] select = new int[capacity];
        int[] previous = new int[capacity];
        Arrays.fill(previous, 0, images, TokenIds.START);
        int rows = images;
        int timeStep = 0;
        DecoderState state = grid == null ? decoder.start(features) : decoder.start(features, true);
        try {
            while (activeCount > 0) {
                CaptionDecoder.Step step = decoder.step(state, Arrays.copyOf(previous, rows));
                DecoderState next = step.state();
                if (next != state) {
                    state.close();
                    state = next;
                }
                float[][] logProbs = checkShape(step.logProbs(), rows, vocabularySize, timeStep);
                float[][] attention = grid == null ? null
                        : checkAttention(step.attention(), rows, grid[0] * grid[1], timeStep);
                int in = 0;
                int out = 0;
                int stillActive = 0;
                for (int a = 0; a < activeCount; a++) {
                    Track track = tracks[active[a]];
                    int live = track.live();
                    out = track.advance(logProbs, attention, in, select, previous, out);
                    in += live;
                    if (!track.done()) {
                        active[stillActive++] = active[a];
                    }
                }
                activeCount = stillActive;
                timeStep++;
                if (activeCount == 0) {
                    break;
                }
                if (!isIdentity(select, out, in)) {
                    DecoderState gathered = decoder.select(state, Arrays.copyOf(select, out));
                    if (gathered != state) {
                        state.close();
                        state = gathered;
                    }
                }
                rows = out;
            }
        } finally {
            state.close();
        }
        List<SearchResult> results = new ArrayList<>(images);
        for (Track track : tracks) {
            results.add(track.result());
        }
        return results;
    }

    /** {height, width} of the map of a decoder asked for attention weights. */
    private static int[] attentionGrid(CaptionDecoder decoder) {
        String name = decoder.getClass().getSimpleName();
        int[] shape = decoder.featureShape();
        if (!decoder.hasAttention()) {
            throw new IllegalArgumentException("attention weights were requested (DecodingOptions.attention),"
                    + " but decoder " + name + " (feature shape " + Arrays.toString(shape)
                    + ") has no attention; decode without optAttention(true), or use an attention decoder");
        }
        if (shape.length != 3 || shape[0] < 1 || shape[1] < 1) {
            throw new CaptionerException("decoder " + name + " has attention but its feature shape "
                    + Arrays.toString(shape) + " is not a map {H, W, D}");
        }
        return new int[] {shape[0], shape[1]};
    }

    private static float[][] checkAttention(float[][] attention, int rows, int locations, int t) {
        if (attention == null || attention.length != rows) {
            throw new CaptionerException("decoder step " + t + ": attention must have " + rows
                    + " rows (it was requested), found " + (attention == null ? "null" : attention.length));
        }
        for (int r = 0; r < rows; r++) {
            if (attention[r] == null || attention[r].length != locations) {
                throw new CaptionerException("decoder step " + t + ": attention[" + r + "] must have "
                        + locations + " weights (H x W), found "
                        + (attention[r] == null ? "null" : attention[r].length));
            }
        }
        return attention;
    }

    private static boolean isIdentity(int[] select, int count, int previousRows) {
        if (count != previousRows) {
            return false;
        }
        for (int i = 0; i < count; i++) {
            if (select[i] != i) {
                return false;
            }
        }
        return true;
    }

    private static float[][] checkShape(float[][] logProbs, int rows, int vocabularySize, int t) {
        if (logProbs == null || logProbs.length != rows) {
            throw new CaptionerException("decoder step " + t + ": logProbs must have " + rows
                    + " rows, found " + (logProbs == null ? "null" : logProbs.length));
        }
        for (int r = 0; r < rows; r++) {
            if (logProbs[r] == null || logProbs[r].length != vocabularySize) {
                throw new CaptionerException("decoder step " + t + ": logProbs[" + r + "] must have "
                        + vocabularySize + " values (vocabularySize), found "
                        + (logProbs[r] == null ? "null" : logProbs[r].length));
            }
        }
        return logProbs;
    }
}
