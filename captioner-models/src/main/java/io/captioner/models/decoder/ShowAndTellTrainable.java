package io.captioner.models.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.captioner.CaptionDecoder;
import io.captioner.models.internal.ParameterFile;

/** The training form of a {@link ShowAndTellDecoder}: the block plus the contract's adapters. */
final class ShowAndTellTrainable implements TrainableDecoder {

    private final ShowAndTellDecoder block;

    ShowAndTellTrainable(ShowAndTellDecoder block) {
        this.block = block;
    }

    @Override
    public DecoderConfig spec() {
        return block.config();
    }

    @Override
    public PairList<String, Parameter> parameters() {
        return block.getParameters();
    }

    @Override
    public Output forward(ParameterStore parameterStore, NDArray features, NDArray inputs, boolean training) {
        return new Output(block.forward(parameterStore, new NDList(features, inputs), training).singletonOrThrow(),
                null);
    }

    @Override
    public CaptionDecoder inferenceView() {
        return LstmCaptionDecoder.view(block);
    }

    @Override
    public ParameterFile toParameterFile() {
        return LstmCaptionDecoder.toParameterFile(block);
    }

    @Override
    public void parametersChanged() {
        block.parametersChanged();
    }
}
