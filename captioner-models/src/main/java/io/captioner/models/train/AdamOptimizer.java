package io.captioner.models.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import io.captioner.CaptionerException;
import io.captioner.models.internal.ParameterFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Adam (Kingma and Ba, 2015) with bias correction and global-norm gradient clipping, written on the
 * parameter arrays so that its whole state (step count, first and second moments) can be saved and
 * restored for exact resumption.
 *
 * <p>Per step t, with gradient g scaled by {@code min(1, clip / ||g||_global)}: {@code m = b1 m +
 * (1-b1) g}, {@code v = b2 v + (1-b2) g^2}, {@code p -= lr (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) +
 * eps)}; gradients are zeroed afterwards. Moments live in the optimiser's own manager, closed by
 * {@link #close()}. Not thread-safe; PyTorch engine only (it switches autograd off around updates).
 */
final class AdamOptimizer implements AutoCloseable {

    private final List<Pair<String, Parameter>> parameters;
    private final NDManager manager;
    private final List<NDArray> m = new ArrayList<>();
    private final List<NDArray> v = new ArrayList<>();
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private long t;

    /**
     * Creates an optimiser with zero moments.
     *
     * @param parameters named, initialised parameters to update (names must be unique)
     * @param beta1 first-moment decay
     * @param beta2 second-moment decay
     * @param epsilon denominator guard
     */
    public AdamOptimizer(PairList<String, Parameter> parameters, double beta1, double beta2, double epsilon) {
        this.parameters = new ArrayList<>();
        for (Pair<String, Parameter> p : parameters) {
            this.parameters.add(p);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.manager = NDManager.newBaseManager();
        for (Pair<String, Parameter> p : this.parameters) {
            NDArray a = p.getValue().getArray();
            m.add(manager.zeros(a.getShape(), a.getDataType()));
            v.add(manager.zeros(a.getShape(), a.getDataType()));
        }
    }

    /**
     * Returns how many updates have been applied.
     *
     * @return the step count t
     */
    public long stepCount() {
        return t;
    }

    /**
     * Applies one update from the gradients accumulated by the last backward pass, then zeroes them.
     *
     * @param learningRate the step size for this update
     * @param clipNorm the largest allowed global gradient norm; 0 disables clipping
     * @return the global gradient norm before clipping
     */
    public double step(double learningRate, double clipNorm) {
        JniUtils.setGradMode(false);
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            List<NDArray> grads = new ArrayList<>(parameters.size());
            double sumSquares = 0;
            for (Pair<String, Parameter> p : parameters) {
                NDArray g = p.getValue().getArray().getGradient();
                grads.add(g);
                sumSquares += g.square().sum().getFloat();
            }
            double norm = Math.sqrt(sumSquares);
            double scale = clipNorm > 0 && norm > clipNorm ? clipNorm / (norm + 1e-6) : 1.0;
            t++;
            double bc1 = 1 - Math.pow(beta1, t);
            double bc2 = 1 - Math.pow(beta2, t);
            for (int i = 0; i < parameters.size(); i++) {
                NDArray weight = parameters.get(i).getValue().getArray();
                NDArray g = scale == 1.0 ? grads.get(i) : grads.get(i).mul(scale);
                m.get(i).muli(beta1).addi(g.mul(1 - beta1));
                v.get(i).muli(beta2).addi(g.square().mul(1 - beta2));
                NDArray denominator = v.get(i).div(bc2).sqrt().add(epsilon);
                NDArray update = m.get(i).div(bc1).div(denominator).mul(learningRate);
                weight.subi(update);
                JniUtils.zeroGrad((PtNDArray) weight);
            }
            return norm;
        }
    }

    /**
     * Copies the moments into a checkpoint; the step count is saved by the caller ({@link #stepCount()}).
     *
     * @param arrays receives {@code adam/m/NAME} and {@code adam/v/NAME}
     */
    void saveTo(Map<String, ParameterFile.Tensor> arrays) {
        for (int i = 0; i < parameters.size(); i++) {
            String name = parameters.get(i).getKey();
            arrays.put("adam/m/" + name, ParameterFile.Tensor.of(m.get(i)));
            arrays.put("adam/v/" + name, ParameterFile.Tensor.of(v.get(i)));
        }
    }

    /**
     * Restores the moments saved by {@link #saveTo} and the step count.
     *
     * @param file the checkpoint
     * @param source its path, for error messages
     * @param steps the step count saved with it
     * @throws CaptionerException naming the file and the missing or mismatched entry
     */
    void restoreFrom(ParameterFile file, Path source, long steps) {
        if (steps < 0) {
            throw new CaptionerException(source + ": optimizer step count must not be negative, found " + steps);
        }
        long restored = steps;
        for (int i = 0; i < parameters.size(); i++) {
            String name = parameters.get(i).getKey();
            replace(m, i, file.arrays().get("adam/m/" + name), "adam/m/" + name, source);
            replace(v, i, file.arrays().get("adam/v/" + name), "adam/v/" + name, source);
        }
        t = restored;
    }

    private void replace(List<NDArray> list, int i, ParameterFile.Tensor tensor, String name, Path source) {
        if (tensor == null) {
            throw new CaptionerException(source + ": checkpoint lacks " + name);
        }
        NDArray old = list.get(i);
        if (!tensor.shape().equals(old.getShape())) {
            throw new CaptionerException(source + ": " + name + " must have shape " + old.getShape()
                    + ", found " + tensor.shape());
        }
        list.set(i, tensor.toNDArray(manager));
        old.close();
    }

    /** Frees the moments; calling it again does nothing. */
    @Override
    public void close() {
        manager.close();
    }
}
