package io.captioner.models.encoder;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * torchvision's {@code vgg16} (configuration "D": 13 3×3 convolutions with bias, 5 max pools, 3
 * fully connected layers) as a DJL block.
 *
 * <p>Input: {@code [N, 3, 224, 224]} normalised RGB. Output NDList: {@code [0]} fc7 after ReLU
 * {@code [N, 4096]} (torchvision {@code classifier[:5]}), {@code [1]} conv5_3 after ReLU
 * {@code [N, 512, 14, 14]} ({@code features[:30]}), {@code [2]} ImageNet logits {@code [N, 1000]}.
 * torchvision's {@code AdaptiveAvgPool2d((7, 7))} is the identity at 224×224 input, which is the
 * only size this block accepts.
 */
final class Vgg16Block extends AbstractBlock {

    /** Output channels per convolution; 0 marks a 2×2 max pool. Configuration "D". */
    private static final int[] CONFIG = {64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0};

    private final SequentialBlock trunk;
    private final SequentialBlock head;
    private final Linear fc8;

    Vgg16Block(ParameterTable table) {
        trunk = new SequentialBlock();
        int index = 0;
        for (int i = 0; i < CONFIG.length - 1; i++) { // the last max pool (features.30) goes into head
            if (CONFIG[i] == 0) {
                trunk.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
                index++;
            } else {
                trunk.add(table.conv("features." + index, Conv2d.builder()
                        .setKernelShape(new Shape(3, 3))
                        .optPadding(new Shape(1, 1))
                        .setFilters(CONFIG[i])
                        .build()));
                trunk.add(Activation.reluBlock());
                index += 2;
            }
        }
        head = new SequentialBlock()
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(Blocks.batchFlattenBlock())
                .add(table.linear("classifier.0", Linear.builder().setUnits(4096).build()))
                .add(Activation.reluBlock())
                .add(Dropout.builder().optRate(0.5f).build())
                .add(table.linear("classifier.3", Linear.builder().setUnits(4096).build()))
                .add(Activation.reluBlock());
        fc8 = table.linear("classifier.6", Linear.builder().setUnits(1000).build());
        addChildBlock("features", trunk);
        addChildBlock("classifier", head);
        addChildBlock("fc8", fc8);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDList spatial = trunk.forward(ps, inputs, training, params);
        NDList features = head.forward(ps, spatial, training, params);
        NDList logits = fc8.forward(ps, features, training, params);
        return new NDList(features.singletonOrThrow(), spatial.singletonOrThrow(), logits.singletonOrThrow());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long n = inputShapes[0].get(0);
        Shape spatial = trunk.getOutputShapes(inputShapes)[0];
        return new Shape[] {new Shape(n, 4096), spatial, new Shape(n, 1000)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        if (in.dimension() != 4 || in.get(1) != 3 || in.get(2) != 224 || in.get(3) != 224) {
            throw new IllegalArgumentException("VGG-16 takes [N, 3, 224, 224], got " + in);
        }
        trunk.initialize(manager, dataType, in);
        Shape spatial = trunk.getOutputShapes(new Shape[] {in})[0];
        head.initialize(manager, dataType, spatial);
        fc8.initialize(manager, dataType, new Shape(in.get(0), 4096));
    }
}
