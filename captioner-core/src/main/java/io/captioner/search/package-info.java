/**
 * Decoding algorithms written once against the {@link io.captioner.CaptionDecoder} step interface:
 * {@link io.captioner.search.GreedySearch}, {@link io.captioner.search.BeamSearch} (n-best, length
 * penalty, exact early stop) and {@link io.captioner.search.SamplingSearch} (temperature, top-k,
 * top-p, seeded), chosen from {@link io.captioner.DecodingOptions} by
 * {@link io.captioner.search.CaptionSearch#of}.
 *
 * <p>All of them decode a batch of images with one decoder step per time step, drop finished images
 * from the batch, close every decoder state they obtain, honour the length limits and constraints
 * ({@code <pad>}/{@code <start>} never emitted, optional {@code <unk>} suppression, no immediate
 * repeat, no repeated n-grams), and report per image a {@link io.captioner.search.SearchResult} of
 * {@link io.captioner.search.Hypothesis} token ids with the model's per-step log-probabilities.
 * Callers map ids to words with a vocabulary ({@code result.toCaption(vocabulary::token)}). On
 * request ({@link io.captioner.DecodingOptions#attention()}) every hypothesis also carries the
 * decoder's attention weights of each word's step.
 * {@link io.captioner.search.TeacherForcing} re-scores a caption to check reported scores.
 *
 * <p>Token ids follow {@link io.captioner.search.TokenIds}. Nothing here depends on DJL.
 */
package io.captioner.search;
