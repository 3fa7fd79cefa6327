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
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * torchvision's {@code resnet50} (ResNet v1.5: the stride of a downsampling bottleneck sits on its
 * 3×3 convolution) as a DJL block.
 *
 * <p>Input: {@code [N, 3, H, W]} normalised RGB (224×224 for the standard transform). Output NDList:
 * {@code [0]} global average pool {@code [N, 2048]}, {@code [1]} layer4 {@code [N, 2048, H/32, W/32]},
 * {@code [2]} ImageNet logits {@code [N, 1000]}. Batch normalisation uses eps 1e-5 and, with
 * {@code training=false}, the running statistics, as torchvision's {@code eval()} mode does.
 */
final class ResNet50Block extends AbstractBlock {

    private static final int[] BLOCKS = {3, 4, 6, 3};
    private static final int[] WIDTHS = {64, 128, 256, 512};

    private final SequentialBlock stem;
    private final SequentialBlock layers;
    private final Linear fc;

    ResNet50Block(ParameterTable table) {
        stem = new SequentialBlock()
                .add(table.conv("conv1", conv(64, 7, 2, 3)))
                .add(table.batchNorm("bn1", BatchNorm.builder().build()))
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1)));
        layers = new SequentialBlock();
        int inChannels = 64;
        for (int stage = 0; stage < 4; stage++) {
            for (int b = 0; b < BLOCKS[stage]; b++) {
                int stride = b == 0 && stage > 0 ? 2 : 1;
                String prefix = "layer" + (stage + 1) + "." + b;
                Bottleneck block = new Bottleneck(table, prefix, inChannels, WIDTHS[stage], stride);
                layers.add(block);
                inChannels = WIDTHS[stage] * Bottleneck.EXPANSION;
            }
        }
        fc = table.linear("fc", Linear.builder().setUnits(1000).build());
        addChildBlock("stem", stem);
        addChildBlock("layers", layers);
        addChildBlock("fc", fc);
    }

    static Conv2d conv(int filters, int kernel, int stride, int padding) {
        return Conv2d.builder()
                .setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(padding, padding))
                .setFilters(filters)
                .optBias(false)
                .build();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDList x = stem.forward(ps, inputs, training, params);
        NDArray spatial = layers.forward(ps, x, training, params).singletonOrThrow();
        NDArray pooled = Pool.globalAvgPool2d(spatial);
        NDArray logits = fc.forward(ps, new NDList(pooled), training, params).singletonOrThrow();
        return new NDList(pooled, spatial, logits);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long n = inputShapes[0].get(0);
        Shape spatial = layers.getOutputShapes(stem.getOutputShapes(inputShapes))[0];
        return new Shape[] {new Shape(n, 2048), spatial, new Shape(n, 1000)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        if (in.dimension() != 4 || in.get(1) != 3) {
            throw new IllegalArgumentException("ResNet-50 takes [N, 3, H, W], got " + in);
        }
        stem.initialize(manager, dataType, in);
        Shape[] x = stem.getOutputShapes(new Shape[] {in});
        layers.initialize(manager, dataType, x);
        fc.initialize(manager, dataType, new Shape(in.get(0), 2048));
    }

    /**
     * torchvision's {@code Bottleneck}: 1×1 → 3×3 (stride s) → 1×1 (×4 channels), each followed by
     * batch norm, ReLU after the first two and after the residual sum; the shortcut is
     * {@code downsample} (1×1 convolution with stride s, then batch norm) when the shape changes.
     */
    static final class Bottleneck extends AbstractBlock {

        static final int EXPANSION = 4;

        private final SequentialBlock residual;
        private final SequentialBlock downsample;

        Bottleneck(ParameterTable table, String prefix, int inChannels, int width, int stride) {
            residual = new SequentialBlock()
                    .add(table.conv(prefix + ".conv1", conv(width, 1, 1, 0)))
                    .add(table.batchNorm(prefix + ".bn1", BatchNorm.builder().build()))
                    .add(Activation.reluBlock())
                    .add(table.conv(prefix + ".conv2", conv(width, 3, stride, 1)))
                    .add(table.batchNorm(prefix + ".bn2", BatchNorm.builder().build()))
                    .add(Activation.reluBlock())
                    .add(table.conv(prefix + ".conv3", conv(width * EXPANSION, 1, 1, 0)))
                    .add(table.batchNorm(prefix + ".bn3", BatchNorm.builder().build()));
            addChildBlock("residual", residual);
            if (stride != 1 || inChannels != width * EXPANSION) {
                downsample = new SequentialBlock()
                        .add(table.conv(prefix + ".downsample.0", conv(width * EXPANSION, 1, stride, 0)))
                        .add(table.batchNorm(prefix + ".downsample.1", BatchNorm.builder().build()));
                addChildBlock("downsample", downsample);
            } else {
                downsample = null;
            }
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                PairList<String, Object> params) {
            NDArray out = residual.forward(ps, inputs, training, params).singletonOrThrow();
            NDArray identity = downsample == null
                    ? inputs.singletonOrThrow()
                    : downsample.forward(ps, inputs, training, params).singletonOrThrow();
            return new NDList(Activation.relu(out.add(identity)));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return residual.getOutputShapes(inputShapes);
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            residual.initialize(manager, dataType, inputShapes);
            if (downsample != null) {
                downsample.initialize(manager, dataType, inputShapes);
            }
        }
    }
}
