package io.captioner.search;

import io.captioner.CaptionDecoder;
import io.captioner.DecodingOptions;
import java.util.List;

/**
 * A decoding algorithm (greedy, beam search, sampling) that drives a {@link CaptionDecoder} to turn
 * image features into captions.
 *
 * <p>All images of a call are decoded together: each time step makes exactly one
 * {@link CaptionDecoder#step} call whose rows are the live beams of every unfinished image, and
 * images that are done leave the batch through {@link CaptionDecoder#select}. Every
 * {@link io.captioner.DecoderState} the search obtains is closed before {@code decode} returns or
 * throws. The search modifies the log-probability arrays the decoder returns (forbidden tokens are
 * set to negative infinity), so the decoder must hand over fresh arrays, one per row. A NaN
 * log-probability is treated like a forbidden token. Log-probabilities are assumed to be at most 0
 * (a normalised distribution); beam search's early stop relies on it.
 *
 * <p><b>Attention.</b> With {@link DecodingOptions#attention()} the search starts the decoder with
 * attention ({@link CaptionDecoder#start(float[][], boolean)}) and gives every hypothesis the
 * weights of the steps that emitted its words ({@link Hypothesis#attention()}, carried along as
 * beams are reordered), shaped by the decoder's {@link CaptionDecoder#featureShape()} {@code {H, W,
 * D}}. A decoder without attention is refused before any state is created. Without the option no
 * weight is asked for, copied or kept.
 *
 * <p>Implementations are immutable and keep no state between calls: one instance may be used from
 * several threads at once if the decoder allows it.
 */
public interface CaptionSearch {

    /**
     * Returns the options this search was built with.
     *
     * @return the options
     */
    DecodingOptions options();

    /**
     * Decodes a batch of images.
     *
     * @param decoder the model; not closed by this call
     * @param features B rows of the decoder's feature size; B may be 0
     * @return one result per image, in order
     * @throws IllegalArgumentException if {@code features} is null or contains a null row, or
     *     attention is requested from a decoder without it (naming the decoder)
     * @throws io.captioner.CaptionerException if the decoder returns log-probabilities (or requested
     *     attention weights) of the wrong shape
     */
    List<SearchResult> decode(CaptionDecoder decoder, float[][] features);

    /**
     * Decodes one image.
     *
     * @param decoder the model; not closed by this call
     * @param feature the image's feature vector
     * @return the result
     */
    default SearchResult decode(CaptionDecoder decoder, float[] feature) {
        return decode(decoder, new float[][] {feature}).get(0);
    }

    /**
     * Returns the search that {@link DecodingOptions#strategy()} names.
     *
     * @param options the options
     * @return a {@link GreedySearch}, {@link BeamSearch} or {@link SamplingSearch}
     */
    static CaptionSearch of(DecodingOptions options) {
        return switch (options.strategy()) {
            case GREEDY -> new GreedySearch(options);
            case BEAM -> new BeamSearch(options);
            case SAMPLE -> new SamplingSearch(options);
        };
    }
}
