package io.captioner.models.encoder;

import ai.djl.Model;
import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.ParameterStore;
import io.captioner.CaptionerException;
import io.captioner.models.image.Preprocessing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Creates {@link BlockEncoder}s from the supported weight sources, all offline.
 *
 * <ul>
 *   <li>{@link #torchvision}: VGG-16 or ResNet-50 from a {@code .npz} written by
 *       {@code scripts/export_torchvision.py} (ImageNet or seeded random weights);
 *   <li>{@link #torchScript}: any traced/scripted module that maps {@code [N, 3, S, S]} to
 *       {@code [N, D]}, e.g. {@code export_torchvision.py --torchscript}'s penultimate-feature
 *       extractor;
 *   <li>{@link #smallCnn()}: the small trainable CNN, randomly initialised;
 *   <li>the library's own saved parameters: {@link BlockEncoder#saveParameters} after training or
 *       fine-tuning, {@link BlockEncoder#loadParameters} into an encoder of the same architecture.
 * </ul>
 *
 * <p>{@link #djlZooResNet50Classifier} loads DJL's PyTorch model zoo ResNet-50 when DJL may
 * download ({@code -Dai.djl.offline=false}); offline it refuses without touching the network. That
 * artifact is a traced ImageNet classifier, so its vector is the 1000 class logits, not the 2048
 * values of the penultimate layer (a traced module exposes neither its pooling output nor its
 * BatchNorm buffers to Java). For the seed's penultimate features export ImageNet weights once with
 * the script instead (as {@code .npz}, or as a traced feature extractor with
 * {@code --torchscript}). The PyTorch engine is used throughout.
 */
public final class Encoders {

    private Encoders() {}

    /**
     * Loads torchvision's VGG-16 or ResNet-50 with weights from a {@code .npz} file.
     *
     * @param arch the architecture
     * @param weights the {@code .npz} with torchvision {@code state_dict} keys
     * @param options batch size, trainability and output (vector: fc7 / global average pool;
     *     spatial: conv5_3 14 × 14 × 512 / layer4 7 × 7 × 2048, or pooled to a side)
     * @return the encoder (name {@code vgg16}/{@code resnet50}, ImageNet preprocessing); caller closes it
     * @throws CaptionerException if the file is missing, unreadable or does not fit the architecture
     */
    public static BlockEncoder torchvision(TorchvisionArch arch, Path weights, EncoderOptions options) {
        if (!Files.isRegularFile(weights)) {
            throw new CaptionerException(weights + ": weights file not found (create one with"
                    + " scripts/export_torchvision.py --arch " + arch.id() + " --out " + weights + ")");
        }
        NDManager manager = Engine.getEngine("PyTorch").newBaseManager();
        try {
            TorchvisionNetwork net = TorchvisionNetwork.create(arch);
            net.initialize(manager);
            WeightsLoader.load(weights, net.parameters());
            BlockEncoder.setTrainable(net.block(), options.trainable());
            return new BlockEncoder(arch.id(), arch.kind(), arch.featureSize(), net.block(), manager,
                    Preprocessing.imagenet(), options, null);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Starts building the small trainable CNN with random weights (DJL's default initialisers; fix
     * the engine's random seed first for reproducibility). Every setting is optional:
     * {@code Encoders.smallCnn().build()} gives 64-pixel input, D = 128, 16 base channels and
     * {@link EncoderOptions#defaults()}.
     *
     * @return a new builder
     */
    public static SmallCnnBuilder smallCnn() {
        return new SmallCnnBuilder();
    }

    /**
     * Loads a TorchScript module ({@code torch.jit.trace}/{@code script} output) as an encoder; D is
     * found by running one image-sized input through it.
     *
     * @param file the {@code .pt} file
     * @param name the encoder's name (part of a feature cache key)
     * @param preprocessing the transform the module expects
     * @param options batch size (trainability is ignored: TorchScript modules run frozen); spatial
     *     output is refused, a traced module exposes only its vector
     * @return the encoder; caller closes it
     * @throws IllegalArgumentException if the options ask for spatial output
     * @throws CaptionerException if the file is missing or not loadable, or its output is not
     *     {@code [N, D]}
     */
    public static BlockEncoder torchScript(Path file, String name, Preprocessing preprocessing,
            EncoderOptions options) {
        refuseSpatial(options, "TorchScript encoder " + name);
        if (!Files.isRegularFile(file)) {
            throw new CaptionerException(file + ": TorchScript file not found");
        }
        Model model = Model.newInstance(name, "PyTorch");
        try {
            model.load(file);
            Block block = model.getBlock();
            NDManager manager = model.getNDManager().newSubManager();
            int side = preprocessing.crop();
            int d;
            try (NDManager probe = manager.newSubManager()) {
                NDList out = block.forward(new ParameterStore(probe, false),
                        new NDList(probe.zeros(new Shape(1, 3, side, side))), false);
                Shape s = out.get(0).getShape();
                if (s.dimension() != 2 || s.get(0) != 1) {
                    throw new CaptionerException(file + ": TorchScript output must be [N, D], found " + s
                            + " for input [1, 3, " + side + ", " + side + "]");
                }
                d = (int) s.get(1);
            }
            return new BlockEncoder(name, null, d, block, manager, preprocessing, options, model);
        } catch (IOException | MalformedModelException e) {
            model.close();
            throw new CaptionerException(file + ": cannot load TorchScript module: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            model.close();
            if (e instanceof CaptionerException) {
                throw e;
            }
            throw new CaptionerException(file + ": cannot run TorchScript module: " + e.getMessage(), e);
        }
    }

    /**
     * Loads DJL's PyTorch model zoo ResNet-50 (ImageNet classifier) as an encoder whose vector is
     * its 1000 class logits. Needs network access on first use; refused when
     * {@code ai.djl.offline} is true (the project default), before any download is attempted.
     *
     * <p>Prefer {@link #torchvision} with {@code export_torchvision.py}'s ImageNet weights: it gives
     * the 2048-value penultimate vector that the captioning literature uses.
     *
     * @param options batch size (the traced module always runs frozen); spatial output is refused
     * @return the encoder, named {@code resnet50-djl-zoo-logits}, D = 1000; caller closes it
     * @throws IllegalArgumentException if the options ask for spatial output
     * @throws CaptionerException if DJL is offline, or the model cannot be found or loaded
     */
    public static BlockEncoder djlZooResNet50Classifier(EncoderOptions options) {
        refuseSpatial(options, "the DJL model zoo ResNet-50 classifier");
        if (Boolean.parseBoolean(System.getProperty("ai.djl.offline", "false"))) {
            throw new CaptionerException("DJL model zoo ResNet-50 needs a download, but ai.djl.offline=true;"
                    + " run with -Dai.djl.offline=false, or export weights with scripts/export_torchvision.py"
                    + " and use Encoders.torchvision");
        }
        Criteria<NDList, NDList> criteria = Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optGroupId("ai.djl.pytorch")
                .optArtifactId("resnet")
                .optFilter("layers", "50")
                .optFilter("dataset", "imagenet")
                .optEngine("PyTorch")
                .build();
        ZooModel<NDList, NDList> model;
        try {
            model = criteria.loadModel();
        } catch (IOException | ModelNotFoundException | MalformedModelException e) {
            throw new CaptionerException("DJL model zoo ResNet-50 (ai.djl.pytorch/resnet, layers=50, imagenet)"
                    + " could not be loaded: " + e.getMessage(), e);
        }
        NDManager manager = model.getNDManager().newSubManager();
        return new BlockEncoder("resnet50-djl-zoo-logits", null, 1000, model.getBlock(), manager,
                Preprocessing.imagenet(), options, model);
    }

    /**
     * Builds the small trainable CNN ({@link EncoderKind#SMALL_CNN}): four 3×3 convolution stages
     * with {@code c, 2c, 4c, D} channels and a global average pool. Every setter is optional and
     * order-independent; {@link #build()} validates. Not thread-safe; one builder per encoder.
     */
    public static final class SmallCnnBuilder {
        private int inputSize = 64;
        private int featureSize = 128;
        private int baseChannels = 16;
        private EncoderOptions options = EncoderOptions.defaults();

        private SmallCnnBuilder() {}

        /**
         * Sets the square input side in pixels (images are resized to it, no crop).
         *
         * @param value a multiple of 8 in [32, 256] (default 64)
         * @return this builder
         */
        public SmallCnnBuilder optInputSize(int value) {
            this.inputSize = value;
            return this;
        }

        /**
         * Sets D, the channels of the last convolution and the length of the feature vector.
         *
         * @param value at least 1 (default 128)
         * @return this builder
         */
        public SmallCnnBuilder optFeatureSize(int value) {
            this.featureSize = value;
            return this;
        }

        /**
         * Sets the channels of the first convolution, doubled twice by the next stages.
         *
         * @param value at least 1 (default 16)
         * @return this builder
         */
        public SmallCnnBuilder optBaseChannels(int value) {
            this.baseChannels = value;
            return this;
        }

        /**
         * Sets the batch size, trainability and output: vector (a global average pool of the last
         * convolution) or spatial (that convolution's map, input/8 square × D).
         *
         * @param value the options (default {@link EncoderOptions#defaults()}: batch 8, frozen, vector)
         * @return this builder
         */
        public SmallCnnBuilder optEncoderOptions(EncoderOptions value) {
            this.options = value;
            return this;
        }

        /**
         * Validates the settings and creates the encoder with random weights in its own native
         * memory.
         *
         * @return the encoder (name {@code small-cnn}, resize = crop = input size, ImageNet
         *     mean/std); the caller closes it
         * @throws IllegalArgumentException naming the first invalid setting and its value
         */
        public BlockEncoder build() {
            if (inputSize < 32 || inputSize > 256 || inputSize % 8 != 0) {
                throw new IllegalArgumentException("inputSize must be a multiple of 8 in [32, 256], got "
                        + inputSize);
            }
            if (featureSize <= 0) {
                throw new IllegalArgumentException("featureSize must be positive, got " + featureSize);
            }
            if (baseChannels <= 0) {
                throw new IllegalArgumentException("baseChannels must be positive, got " + baseChannels);
            }
            if (options == null) {
                throw new IllegalArgumentException("encoder options must not be null");
            }
            NDManager manager = Engine.getEngine("PyTorch").newBaseManager();
            try {
                Block block = new SmallCnnBlock(baseChannels, featureSize);
                block.initialize(manager, DataType.FLOAT32, new Shape(1, 3, inputSize, inputSize));
                BlockEncoder.setTrainable(block, options.trainable());
                Preprocessing im = Preprocessing.imagenet();
                return new BlockEncoder(EncoderKind.SMALL_CNN.id(), EncoderKind.SMALL_CNN, featureSize, block,
                        manager, new Preprocessing(inputSize, inputSize, im.mean(), im.std()), options, null);
            } catch (RuntimeException e) {
                manager.close();
                throw e;
            }
        }
    }

    private static void refuseSpatial(EncoderOptions options, String what) {
        if (options.spatial()) {
            throw new IllegalArgumentException(what + " gives feature vectors only (a traced module exposes no"
                    + " spatial map), found options with spatial=true; use Encoders.torchvision or"
                    + " Encoders.smallCnn for spatial maps");
        }
    }
}
