package io.captioner.models.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.captioner.text.Vocabulary;

/**
 * Cross-entropy of next-token predictions that ignores {@code <pad>} targets:
 * {@code loss = -sum_{b,t} mask[b,t] * log_softmax(logits)[b,t,target[b,t]] / sum mask}, with
 * {@code mask = (target != <pad>)}. Stateless.
 */
final class MaskedCrossEntropy {

    private MaskedCrossEntropy() {}

    /**
     * Computes the mean loss over non-pad targets; differentiable.
     *
     * @param logits {@code [B, T, V] float32}
     * @param targets {@code [B, T] int64}, {@link Vocabulary#PAD} where there is no target
     * @return a scalar, in the manager of {@code logits}; NaN-free only if some target is not a pad
     */
    public static NDArray loss(NDArray logits, NDArray targets) {
        NDArray logProbs = logits.logSoftmax(2);
        NDArray picked = logProbs.gather(targets.expandDims(2), 2).squeeze(2);
        NDArray mask = targets.neq(Vocabulary.PAD).toType(DataType.FLOAT32, false);
        return picked.mul(mask).sum().neg().div(mask.sum());
    }
}
