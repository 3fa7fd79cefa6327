package io.captioner.models.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.nio.Buffer;

/**
 * Writes values into existing NDArrays in place. Internal: not part of the public API.
 *
 * <p>Why not {@link NDArray#set(Buffer)}: in DJL 0.36 its PyTorch implementation (JNI
 * {@code torchSet}) opens a {@code torch::AutoNonVariableTypeMode} guard, which libtorch 2.x
 * deprecates with a multi-line warning on stderr the first time a process uses it. Copying
 * through an indexed assignment ({@code Tensor::index_put_}) writes the same values into the same
 * storage without that guard.
 */
public final class NDArrayCopy {

    private static final NDIndex ALL = new NDIndex("...");

    private NDArrayCopy() {}

    /**
     * Overwrites every element of {@code target} with {@code values}, keeping the array's native
     * storage, shape, data type, device and gradient flag. The values are copied; the caller keeps
     * ownership of the buffer and may reuse it when this returns.
     *
     * <p>Temporary arrays live in a sub-manager of the target's manager and are closed before the
     * method returns. Not thread-safe with respect to other writers or readers of {@code target}.
     *
     * @param target the array to overwrite, e.g. a block parameter
     * @param values {@code target.size()} values in row-major order: a buffer of the target's data
     *     type, or a {@code ByteBuffer} holding them in native byte order
     * @throws IllegalArgumentException if the buffer holds too few values or values of another type
     */
    public static void copyInto(NDArray target, Buffer values) {
        boolean gradient = target.hasGradient();
        try (NDManager scratch = target.getManager().newSubManager()) {
            NDArray source = scratch.create(values, target.getShape(), target.getDataType());
            // PyTorch refuses in-place writes to a leaf that records gradients while grad mode is
            // on, and grad mode is per thread; switching the flag off for the copy avoids both.
            if (gradient) {
                target.setRequiresGradient(false);
            }
            target.set(ALL, source);
        } finally {
            if (gradient) {
                target.setRequiresGradient(true);
            }
        }
    }
}
