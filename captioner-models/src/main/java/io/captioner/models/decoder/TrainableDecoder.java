package io.captioner.models.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.captioner.CaptionDecoder;
import io.captioner.models.internal.ParameterFile;

/**
 * The training contract: what {@code io.captioner.models.train.Trainer} needs from a decoder
 * architecture, so that one training loop serves every decoder. Obtain one from {@link
 * DecoderSpec#newTrainable}; implement it (with a {@link DecoderSpec}) to train a new decoder with
 * the same loop, listeners, checkpoints and pipeline.
 *
 * <p>Shapes: B batch rows, T time steps, V vocabulary; the feature shape F is the spec's {@link
 * DecoderSpec#featureShape()} ({@code [D]} for a pooled vector, {@code [H, W, D]} for a spatial
 * map). Parameters belong to the manager passed to {@link DecoderSpec#newTrainable}; every array a
 * method returns belongs to the manager of its first array argument. Not thread-safe while
 * training.
 */
public interface TrainableDecoder {

    /**
     * Returns the architecture this decoder was built from.
     *
     * @return the spec
     */
    DecoderSpec spec();

    /**
     * Returns every parameter by name (initialised, live: not copies). The optimiser updates those
     * that require gradients; checkpoints save them all.
     *
     * @return named parameters, in a stable order
     */
    PairList<String, Parameter> parameters();

    /**
     * Teacher-forced forward pass over whole captions.
     *
     * @param parameterStore where parameter values come from
     * @param features {@code [B, F...] float32}
     * @param inputs {@code [B, T] int64}: {@code <start> w1 .. wn}, padded with {@code <pad>}
     * @param training whether dropout is active
     * @return the logits and the decoder's own regularisation term
     */
    Output forward(ParameterStore parameterStore, NDArray features, NDArray inputs, boolean training);

    /**
     * Teacher-forced forward pass over captions whose rows share images (several captions of one
     * image in a batch): row i reads the features of image {@code rowImages[i]}. The trainer calls
     * this form with each distinct image's features once. By default it copies every row's features
     * and calls {@link #forward(ParameterStore, NDArray, NDArray, boolean)}; a decoder with work that
     * depends only on the image (attention's encoder projection) overrides it to do that work once
     * per image.
     *
     * @param parameterStore where parameter values come from
     * @param imageFeatures {@code [I, F...] float32}, one row per distinct image
     * @param rowImages {@code [B] int64}, each caption row's image index in {@code [0, I)}, or null
     *     when row i reads image i (then B = I)
     * @param inputs {@code [B, T] int64}: {@code <start> w1 .. wn}, padded with {@code <pad>}
     * @param training whether dropout is active
     * @return the same as the per-row form given the copied rows
     */
    default Output forward(ParameterStore parameterStore, NDArray imageFeatures, NDArray rowImages, NDArray inputs,
            boolean training) {
        NDArray features = rowImages == null ? imageFeatures : RowGather.rows(imageFeatures, rowImages);
        return forward(parameterStore, features, inputs, training);
    }

    /**
     * Wraps the live parameters as a step-wise decoder for validation during training: it follows
     * the current values, and closing it frees only its own states.
     *
     * @return a decoder view, closed by the caller
     */
    CaptionDecoder inferenceView();

    /**
     * Snapshots the architecture and current parameter values as the decoder's own parameter file,
     * which {@link DecoderType#load} reads back.
     *
     * @return the file content, in Java heap memory
     */
    ParameterFile toParameterFile();

    /**
     * Records that parameter values changed other than through {@link #forward} with training on
     * (restored from a checkpoint, for example), so derived caches are rebuilt.
     */
    void parametersChanged();

    /**
     * What a teacher-forced pass produced.
     *
     * @param logits {@code [B, T, V] float32}: position t scores the token that follows {@code
     *     inputs[:, t]}
     * @param regularizer a scalar added to the loss (for example attention's doubly stochastic
     *     term), or null when the decoder has none
     */
    record Output(NDArray logits, NDArray regularizer) {}
}
