package io.captioner.models.encoder;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;

/**
 * A torchvision backbone rebuilt from DJL blocks, with its torchvision-key → DJL-parameter table.
 *
 * <p>The block's forward returns {@code [vector, spatialMap, logits]} (see {@link TorchvisionArch}
 * for the shapes) for input {@code [N, 3, 224, 224]}. Typical use: {@link #create}, then
 * {@link #initialize(NDManager)}, then {@link WeightsLoader#load} into {@link #parameters()}. Not
 * thread-safe until initialised and loaded; afterwards forward passes with {@code training=false}
 * may run concurrently.
 */
public final class TorchvisionNetwork {

    private final TorchvisionArch arch;
    private final Block block;
    private final ParameterTable table;

    private TorchvisionNetwork(TorchvisionArch arch, Block block, ParameterTable table) {
        this.arch = arch;
        this.block = block;
        this.table = table;
    }

    /**
     * Builds the architecture (no native memory is allocated until {@link #initialize}).
     *
     * @param arch which network
     * @return the uninitialised network
     */
    public static TorchvisionNetwork create(TorchvisionArch arch) {
        ParameterTable table = new ParameterTable();
        Block block = switch (arch) {
            case VGG16 -> new Vgg16Block(table);
            case RESNET50 -> new ResNet50Block(table);
        };
        return new TorchvisionNetwork(arch, block, table);
    }

    /**
     * Allocates the parameters (randomly initialised by DJL's defaults) in {@code manager}, frozen:
     * no parameter requires a gradient, so no gradient memory is ever attached.
     *
     * @param manager owns the parameter arrays; closing it frees them
     */
    public void initialize(NDManager manager) {
        block.freezeParameters(true);
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 224, 224));
    }

    /**
     * Returns the architecture.
     *
     * @return the architecture
     */
    public TorchvisionArch arch() {
        return arch;
    }

    /**
     * Returns the DJL block.
     *
     * @return the block; forward gives {@code [vector, spatialMap, logits]}
     */
    public Block block() {
        return block;
    }

    /**
     * Returns the torchvision key → DJL parameter table.
     *
     * @return the table
     */
    public ParameterTable parameters() {
        return table;
    }
}
