package io.captioner.models.train;

import io.captioner.models.internal.ParameterFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import org.junit.jupiter.api.Test;

class AdamOptimizerTest {

    private static Parameter parameter(NDManager m, float[] init) {
        Parameter p = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT)
                .optInitializer(Initializer.ZEROS).optShape(new Shape(init.length)).build();
        p.initialize(m, DataType.FLOAT32);
        p.getArray().setRequiresGradient(false);
        p.getArray().intern(m.create(init));
        p.getArray().setRequiresGradient(true);
        return p;
    }

    /** Loss sum(w^2 * c): gradient 2 c w. */
    private static void backward(Parameter p, float[] c) {
        try (NDManager sub = p.getArray().getManager().newSubManager();
                GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray loss = sub.create(c).mul(p.getArray().square()).sum();
            gc.backward(loss);
        }
    }

    @Test
    void matchesAHandComputedAdamTrajectory() {
        float[] w = {1.0f, -2.0f, 0.5f};
        float[] c = {1.0f, 3.0f, 0.1f};
        double lr = 0.1;
        double b1 = 0.9;
        double b2 = 0.999;
        double eps = 1e-8;
        double[] ew = {1.0, -2.0, 0.5};
        double[] em = new double[3];
        double[] ev = new double[3];
        try (NDManager m = NDManager.newBaseManager()) {
            Parameter p = parameter(m, w);
            PairList<String, Parameter> list = new PairList<>();
            list.add("w", p);
            try (AdamOptimizer adam = new AdamOptimizer(list, b1, b2, eps)) {
                for (int t = 1; t <= 3; t++) {
                    backward(p, c);
                    adam.step(lr, 0);
                    for (int i = 0; i < 3; i++) {
                        double g = 2 * c[i] * ew[i];
                        em[i] = b1 * em[i] + (1 - b1) * g;
                        ev[i] = b2 * ev[i] + (1 - b2) * g * g;
                        double mh = em[i] / (1 - Math.pow(b1, t));
                        double vh = ev[i] / (1 - Math.pow(b2, t));
                        ew[i] -= lr * mh / (Math.sqrt(vh) + eps);
                    }
                }
                float[] actual = p.getArray().toFloatArray();
                for (int i = 0; i < 3; i++) {
                    assertThat((double) actual[i]).isCloseTo(ew[i], within(1e-5));
                }
                assertThat(adam.stepCount()).isEqualTo(3);
            }
        }
    }

    @Test
    void clippingScalesTheGlobalNormAndReportsTheNormBeforeClipping() {
        // one SGD-like step: with beta1 = 0 and beta2 = 0, the update is lr * g / (|g| + eps) = lr * sign(g),
        // so clipping is checked through the reported norm and through the first moment in a checkpoint.
        try (NDManager m = NDManager.newBaseManager()) {
            Parameter p = parameter(m, new float[] {3.0f, 4.0f});
            PairList<String, Parameter> list = new PairList<>();
            list.add("w", p);
            try (AdamOptimizer adam = new AdamOptimizer(list, 0.5, 0.5, 1e-8)) {
                backward(p, new float[] {0.5f, 0.5f}); // gradient (3, 4), norm 5
                double norm = adam.step(0.01, 1.0);
                assertThat(norm).isCloseTo(5.0, within(1e-5));
                java.util.Map<String, ParameterFile.Tensor> arrays = new java.util.HashMap<>();
                adam.saveTo(arrays);
                float[] firstMoment = arrays.get("adam/m/w").values();
                // m = (1 - 0.5) * g * (1 / 5)
                assertThat((double) firstMoment[0]).isCloseTo(0.5 * 3 / 5, within(1e-5));
                assertThat((double) firstMoment[1]).isCloseTo(0.5 * 4 / 5, within(1e-5));
            }
        }
    }
}
