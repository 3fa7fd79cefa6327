package io.captioner.models.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.captioner.search.TokenIds;

/**
 * The doubly stochastic attention regulariser of Show, Attend and Tell (Xu et al., 2015, section
 * 4.2.1): it pushes every location to receive, summed over a caption's steps, a total weight near
 * 1, so the model looks at every part of the image over the caption instead of at one place
 * throughout.
 *
 * <p>{@code penalty = λ · mean_b mean_l (1 − Σ_t m[b, t] · α[b, t, l])²}, where {@code m[b, t]} is
 * 1 for the real steps (those whose target token is not {@code <pad>}) and 0 for padding, so padded
 * steps add no attention. Add it to the masked cross-entropy of the same batch. Stateless.
 *
 * <p><b>A mean over locations, not the paper's sum.</b> The paper adds {@code λ Σ_l} to a
 * cross-entropy summed over a caption's T words; this library's cross-entropy is a mean per word.
 * Divided by T to match it, the paper's term is {@code (λ L / T) · mean_l}, so this class's λ is the
 * paper's λ·L/T, and λ = 1 here (the best-known public reimplementation's choice, which also
 * averages) is the paper's λ = T/L, a weaker pull. The sum with λ = 1 beside a per-word mean would
 * swamp the cross-entropy: a caption of T words cannot give each of L > T locations a total of 1,
 * so the sum never falls below {@code Σ_l (1 − T/L)²}, about 45 at T = 10, L = 64, against a
 * cross-entropy of about one nat.
 */
public final class DoublyStochasticPenalty {

    private DoublyStochasticPenalty() {}

    /**
     * Computes the penalty of a batch; differentiable.
     *
     * @param alphas the attention weights of teacher forcing, {@code [B, T, L] float32} (the second
     *     output of {@link ShowAttendTellDecoder#forward})
     * @param targets the target of every step, {@code [B, T]} integer ids, {@code <pad>} (id 0)
     *     where the step is padding
     * @param lambda the weight λ, at least 0 (the paper and the common reimplementation use 1)
     * @return a scalar in the manager of {@code alphas}
     * @throws IllegalArgumentException if the shapes do not match or λ is negative or not finite
     */
    public static NDArray compute(NDArray alphas, NDArray targets, double lambda) {
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("lambda must be a finite number >= 0, found " + lambda);
        }
        if (alphas.getShape().dimension() != 3 || targets.getShape().dimension() != 2
                || alphas.getShape().get(0) != targets.getShape().get(0)
                || alphas.getShape().get(1) != targets.getShape().get(1)) {
            throw new IllegalArgumentException("alphas must be [B, T, L] and targets [B, T] with the same B and T,"
                    + " found alphas " + alphas.getShape() + " and targets " + targets.getShape());
        }
        NDArray mask = targets.neq(TokenIds.PAD).toType(DataType.FLOAT32, false).expandDims(2);
        NDArray coverage = alphas.mul(mask).sum(new int[] {1});
        NDArray perImage = coverage.neg().add(1f).square().mean(new int[] {1});
        return perImage.mean().mul((float) lambda);
    }
}
