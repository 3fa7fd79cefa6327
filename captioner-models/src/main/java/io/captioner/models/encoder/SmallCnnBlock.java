package io.captioner.models.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A small trainable CNN for the synthetic demo and tests: four 3×3 convolution + batch norm + ReLU
 * stages (the first three followed by 2×2 max pooling) with {@code c, 2c, 4c, D} channels, then a
 * global average pool.
 *
 * <p>Input {@code [N, 3, S, S]}; output NDList {@code [0]} the vector {@code [N, D]}, {@code [1]} the
 * last map {@code [N, D, S/8, S/8]}.
 */
final class SmallCnnBlock extends AbstractBlock {

    private final SequentialBlock body;

    SmallCnnBlock(int baseChannels, int featureSize) {
        body = new SequentialBlock();
        int[] channels = {baseChannels, baseChannels * 2, baseChannels * 4, featureSize};
        for (int i = 0; i < channels.length; i++) {
            body.add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1))
                            .setFilters(channels[i]).optBias(false).build())
                    .add(BatchNorm.builder().build())
                    .add(Activation.reluBlock());
            if (i < channels.length - 1) {
                body.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
            }
        }
        addChildBlock("body", body);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray map = body.forward(ps, inputs, training, params).singletonOrThrow();
        return new NDList(Pool.globalAvgPool2d(map), map);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape map = body.getOutputShapes(inputShapes)[0];
        return new Shape[] {new Shape(map.get(0), map.get(1)), map};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        body.initialize(manager, dataType, inputShapes);
    }
}
