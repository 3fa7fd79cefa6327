package io.captioner.models.artifact;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import io.captioner.CaptionerException;
import io.captioner.models.decoder.ParameterFile;
import io.captioner.models.internal.NDArrayCopy;
import java.nio.FloatBuffer;
import java.nio.file.Path;

/**
 * Copies saved values into a block's initialised parameters.
 *
 * <p>Values are copied into each parameter's own native storage ({@link NDArrayCopy#copyInto}).
 * (Swapping in a tensor created from a Java buffer with {@code intern} leaves the parameter
 * pointing at a direct buffer that the garbage collector frees later, which turns captions into
 * NaN garbage at random times.)
 */
final class Parameters {

    private Parameters() {}

    static void restore(ParameterFile file, PairList<String, Parameter> parameters, Path source) {
        for (Pair<String, Parameter> p : parameters) {
            String name = p.getKey();
            ParameterFile.Tensor t = file.arrays().get(name);
            NDArray target = p.getValue().getArray();
            if (t == null) {
                throw new CaptionerException(source + ": parameter " + name + " is missing; the file holds "
                        + file.arrays().keySet());
            }
            if (!t.shape().equals(target.getShape())) {
                throw new CaptionerException(source + ": parameter " + name + " must have shape "
                        + target.getShape() + " to match the model, found " + t.shape());
            }
            NDArrayCopy.copyInto(target, FloatBuffer.wrap(t.values()));
        }
        if (file.arrays().size() != parameters.size()) {
            throw new CaptionerException(source + ": holds " + file.arrays().size() + " parameters, the model has "
                    + parameters.size());
        }
    }
}
