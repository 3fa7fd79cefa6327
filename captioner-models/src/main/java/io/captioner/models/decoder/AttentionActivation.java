package io.captioner.models.decoder;

/**
 * The non-linearity of the additive attention's scoring network: {@code e = w · act(W_a a + W_h h)}.
 */
public enum AttentionActivation {
    /**
     * Hyperbolic tangent, as in Bahdanau et al. (2015) and the authors' code of Show, Attend and
     * Tell: bounded, so no location's score can grow without limit from one large feature.
     */
    TANH,
    /** Rectified linear unit, as in the widely used PyTorch reimplementation of Show, Attend and Tell. */
    RELU
}
