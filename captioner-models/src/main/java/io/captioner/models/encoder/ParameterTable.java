package io.captioner.models.encoder;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The explicit mapping from torchvision {@code state_dict} keys to DJL {@link Parameter}s, filled in
 * while a network is built so that every torchvision name points at exactly one DJL parameter.
 *
 * <p>Per layer type: {@code Conv2d} and {@code Linear} map {@code P.weight} → {@code weight} and
 * {@code P.bias} → {@code bias}; {@code BatchNorm2d} maps {@code P.weight} → {@code gamma},
 * {@code P.bias} → {@code beta}, {@code P.running_mean} → {@code runningMean} and
 * {@code P.running_var} → {@code runningVar}, while {@code P.num_batches_tracked} (a training
 * counter that does not affect the output) is recorded as an ignored key. Not thread-safe while
 * being built; read-only afterwards.
 */
public final class ParameterTable {

    private final Map<String, Parameter> parameters = new LinkedHashMap<>();
    private final Set<String> ignored = new LinkedHashSet<>();

    ParameterTable() {}

    /**
     * Registers a convolution under a torchvision module path.
     *
     * @param prefix the module path, e.g. {@code features.0} or {@code layer1.0.conv1}
     * @param conv the DJL block
     * @return the block, for chaining into a {@code SequentialBlock}
     */
    Conv2d conv(String prefix, Conv2d conv) {
        put(prefix + ".weight", conv, "weight");
        if (conv.getDirectParameters().contains("bias")) {
            put(prefix + ".bias", conv, "bias");
        }
        return conv;
    }

    /**
     * Registers a fully connected layer under a torchvision module path.
     *
     * @param prefix the module path, e.g. {@code classifier.0} or {@code fc}
     * @param linear the DJL block
     * @return the block
     */
    Linear linear(String prefix, Linear linear) {
        put(prefix + ".weight", linear, "weight");
        put(prefix + ".bias", linear, "bias");
        return linear;
    }

    /**
     * Registers a batch normalisation under a torchvision module path.
     *
     * @param prefix the module path, e.g. {@code bn1} or {@code layer1.0.downsample.1}
     * @param bn the DJL block
     * @return the block
     */
    BatchNorm batchNorm(String prefix, BatchNorm bn) {
        put(prefix + ".weight", bn, "gamma");
        put(prefix + ".bias", bn, "beta");
        put(prefix + ".running_mean", bn, "runningMean");
        put(prefix + ".running_var", bn, "runningVar");
        ignored.add(prefix + ".num_batches_tracked");
        return bn;
    }

    private void put(String key, Block block, String djlName) {
        Parameter p = block.getDirectParameters().get(djlName);
        if (p == null) {
            throw new IllegalStateException(block + " has no parameter " + djlName);
        }
        if (parameters.put(key, p) != null) {
            throw new IllegalStateException("duplicate torchvision key " + key);
        }
    }

    /**
     * Returns the mapping in torchvision's {@code state_dict} order.
     *
     * @return an unmodifiable map from torchvision key to DJL parameter
     */
    public Map<String, Parameter> parameters() {
        return Collections.unmodifiableMap(parameters);
    }

    /**
     * Returns the torchvision keys that are accepted in a weights file but not loaded
     * ({@code num_batches_tracked}).
     *
     * @return an unmodifiable set of keys
     */
    public Set<String> ignoredKeys() {
        return Collections.unmodifiableSet(ignored);
    }
}
