package io.captioner.models.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.captioner.CaptionDecoder;
import io.captioner.models.internal.ParameterFile;

/**
 * The training form of a {@link ShowAttendTellDecoder}: features {@code [B, H, W, D]} (or {@code
 * [B, L, D]}) are read as {@code [B, L, D]}; the regulariser is the doubly stochastic attention
 * penalty, masked by the padding of the inputs (which pad exactly where the targets do).
 */
final class ShowAttendTellTrainable implements TrainableDecoder {

    private final ShowAttendTellDecoder block;

    ShowAttendTellTrainable(ShowAttendTellDecoder block) {
        this.block = block;
    }

    @Override
    public AttentionDecoderConfig spec() {
        return block.config();
    }

    @Override
    public PairList<String, Parameter> parameters() {
        return block.getParameters();
    }

    @Override
    public Output forward(ParameterStore parameterStore, NDArray features, NDArray inputs, boolean training) {
        return forward(parameterStore, features, null, inputs, training);
    }

    /** Computes the encoder projection and the initial state once per image, not once per row. */
    @Override
    public Output forward(ParameterStore parameterStore, NDArray imageFeatures, NDArray rowImages, NDArray inputs,
            boolean training) {
        AttentionDecoderConfig config = block.config();
        NDArray flat = imageFeatures.getShape().dimension() == 3 ? imageFeatures
                : imageFeatures.reshape(imageFeatures.getShape().get(0), config.locations(),
                        config.featureChannels());
        NDList in = rowImages == null ? new NDList(flat, inputs) : new NDList(flat, inputs, rowImages);
        NDList out = block.forward(parameterStore, in, training);
        NDArray penalty = config.attentionPenalty() == 0 ? null
                : DoublyStochasticPenalty.compute(out.get(1), inputs, config.attentionPenalty());
        return new Output(out.get(0), penalty);
    }

    @Override
    public CaptionDecoder inferenceView() {
        return AttentionCaptionDecoder.view(block);
    }

    @Override
    public ParameterFile toParameterFile() {
        return AttentionCaptionDecoder.toParameterFile(block);
    }

    @Override
    public void parametersChanged() {
        // the attention decoder keeps no copy of its parameters: views read them at every step
    }
}
