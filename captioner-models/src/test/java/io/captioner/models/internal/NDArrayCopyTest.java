package io.captioner.models.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class NDArrayCopyTest {

    @Test
    void copyIntoOverwritesTheValuesOfTheSameArray() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray target = manager.zeros(new Shape(2, 3));
            NDArrayCopy.copyInto(target, FloatBuffer.wrap(new float[] {1, 2, 3, 4, 5, 6}));
            assertThat(target.getShape()).isEqualTo(new Shape(2, 3));
            assertThat(target.toFloatArray()).containsExactly(1, 2, 3, 4, 5, 6);
        }
    }

    @Test
    void copyIntoReadsFloatsFromANativeOrderByteBuffer() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray target = manager.zeros(new Shape(3));
            ByteBuffer bytes = ByteBuffer.allocate(12).order(ByteOrder.nativeOrder());
            bytes.asFloatBuffer().put(new float[] {0.5f, -1, 7});
            NDArrayCopy.copyInto(target, bytes);
            assertThat(target.toFloatArray()).containsExactly(0.5f, -1, 7);
        }
    }

    @Test
    void copyIntoKeepsTheGradientFlagOnAThreadWhereGradModeIsOn() throws Exception {
        // PyTorch's grad mode is per thread and on by default; DJL turns it off only on the thread
        // that starts the engine, so another thread is where an in-place write to a leaf fails.
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray target = manager.zeros(new Shape(2));
            target.setRequiresGradient(true);
            CompletableFuture.runAsync(() -> NDArrayCopy.copyInto(target, FloatBuffer.wrap(new float[] {3, 4})))
                    .get();
            assertThat(target.toFloatArray()).containsExactly(3, 4);
            assertThat(target.hasGradient()).isTrue();
        }
    }

    @Test
    void tooFewValuesAreRefused() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray target = manager.zeros(new Shape(4));
            assertThatThrownBy(() -> NDArrayCopy.copyInto(target, FloatBuffer.wrap(new float[] {1, 2})))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
