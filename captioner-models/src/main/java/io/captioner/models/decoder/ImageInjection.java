package io.captioner.models.decoder;

/** How the projected image vector enters the LSTM. */
public enum ImageInjection {
    /**
     * As in im2txt (Show and Tell): the projected image (size E) is the LSTM's first input with
     * zero initial state; that step's output is ignored and {@code <start>} is the next input.
     */
    FIRST_INPUT,
    /**
     * As in many PyTorch tutorials: two projections of the image give the initial hidden and cell
     * states (size H per layer); {@code <start>} is the first input.
     */
    INIT_STATE
}
