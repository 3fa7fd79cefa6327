package io.captioner.models.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import io.captioner.CaptionerException;
import io.captioner.models.internal.NDArrayCopy;
import io.captioner.models.npy.NpyArray;
import io.captioner.models.npy.NpyDType;
import io.captioner.models.npy.NpzReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies a torchvision {@code state_dict} saved as {@code .npz} (by
 * {@code scripts/export_torchvision.py}) into the DJL parameters of a {@link ParameterTable}.
 *
 * <p>Strict: every key of the table must be present with exactly the parameter's shape and a
 * float dtype, and every key of the file must be known (table or ignored keys); otherwise a
 * {@link CaptionerException} names the file, the key(s), and the expected and found shape. Key
 * sets are checked before any data is copied.
 */
final class WeightsLoader {

    private static final Logger LOG = LoggerFactory.getLogger(WeightsLoader.class);

    private WeightsLoader() {}

    /**
     * Loads weights into already initialised parameters.
     *
     * @param npz the weights file
     * @param table the parameters to fill (their arrays must exist: initialise the block first)
     * @throws CaptionerException on a missing, unexpected, wrongly shaped or non-float array
     */
    public static void load(Path npz, ParameterTable table) {
        try (NpzReader reader = NpzReader.open(npz)) {
            Map<String, Parameter> params = table.parameters();
            List<String> missing = new ArrayList<>();
            for (String key : params.keySet()) {
                if (!reader.contains(key)) {
                    missing.add(key);
                }
            }
            List<String> unexpected = new ArrayList<>();
            for (String key : reader.keys()) {
                if (!params.containsKey(key) && !table.ignoredKeys().contains(key)) {
                    unexpected.add(key);
                }
            }
            if (!missing.isEmpty() || !unexpected.isEmpty()) {
                throw new CaptionerException(npz + ": weights do not match the architecture: "
                        + (missing.isEmpty() ? "" : missing.size() + " missing key(s) " + abbreviate(missing))
                        + (missing.isEmpty() || unexpected.isEmpty() ? "" : "; ")
                        + (unexpected.isEmpty() ? "" : unexpected.size() + " unexpected key(s) "
                                + abbreviate(unexpected)));
            }
            for (Map.Entry<String, Parameter> e : params.entrySet()) {
                NDArray target = e.getValue().getArray();
                NpyArray source = reader.read(e.getKey());
                long[] expected = target.getShape().getShape();
                if (!java.util.Arrays.equals(expected, source.shape())) {
                    throw new CaptionerException(npz + ": parameter '" + e.getKey() + "' expected shape "
                            + NpyArray.shapeString(expected) + ", found " + source.shapeString());
                }
                if (source.dtype() == NpyDType.FLOAT32) {
                    NDArrayCopy.copyInto(target, source.data());
                } else if (source.dtype() == NpyDType.FLOAT64) {
                    NDArrayCopy.copyInto(target, java.nio.FloatBuffer.wrap(source.toFloatArray()));
                } else {
                    throw new CaptionerException(npz + ": parameter '" + e.getKey()
                            + "' expected dtype float32, found " + source.dtype());
                }
            }
            LOG.debug("loaded {} arrays from {}", params.size(), npz);
        }
    }

    private static String abbreviate(List<String> keys) {
        return keys.size() <= 8 ? keys.toString()
                : keys.subList(0, 8) + " and " + (keys.size() - 8) + " more";
    }
}
