package io.captioner.models.encoder;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.captioner.CaptionerException;
import io.captioner.ImageEncoder;
import io.captioner.models.image.Preprocessing;
import io.captioner.models.internal.ParameterFile;
import java.nio.file.Path;
import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An {@link ImageEncoder} running any DJL {@link Block} whose forward returns the feature vectors
 * {@code [N, D]} first and, optionally, a spatial map {@code [N, C, H, W]} second. Create one with
 * {@link Encoders}.
 *
 * <p>Images are preprocessed with {@link #preprocessing()} and run in batches of
 * {@link EncoderOptions#batchSize()} with {@code training=false}; each batch lives in a
 * sub-{@link NDManager} that is closed before the call returns, so repeated calls do not grow native
 * memory. The encoder owns its manager (and parameters); {@link #close()} frees them. Encoding is
 * thread-safe; closing while another thread encodes is not.
 */
public final class BlockEncoder implements ImageEncoder {

    /** The parameter-file kind of saved encoder parameters. */
    public static final String PARAMETER_FILE_KIND = "encoder-parameters";

    private final String name;
    private final EncoderKind kind;
    private final int featureSize;
    private final Block block;
    private final NDManager manager;
    private final Preprocessing preprocessing;
    private final EncoderOptions options;
    private final AutoCloseable owner;
    private final AtomicBoolean closed = new AtomicBoolean();

    BlockEncoder(String name, EncoderKind kind, int featureSize, Block block, NDManager manager,
            Preprocessing preprocessing, EncoderOptions options, AutoCloseable owner) {
        this.name = Objects.requireNonNull(name);
        this.kind = kind;
        this.featureSize = featureSize;
        this.block = Objects.requireNonNull(block);
        this.manager = Objects.requireNonNull(manager);
        this.preprocessing = Objects.requireNonNull(preprocessing);
        this.options = Objects.requireNonNull(options);
        this.owner = owner;
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * Returns which of the library's encoders this is, so that an artifact can rebuild it.
     *
     * @return the kind; empty for encoders from other sources (TorchScript, DJL's model zoo)
     */
    public Optional<EncoderKind> kind() {
        return Optional.ofNullable(kind);
    }

    @Override
    public int featureSize() {
        return featureSize;
    }

    /**
     * Returns the preprocessing applied to every image; part of a feature cache's key.
     *
     * @return the transform
     */
    public Preprocessing preprocessing() {
        return preprocessing;
    }

    /**
     * Returns the options.
     *
     * @return batch size and trainability
     */
    public EncoderOptions options() {
        return options;
    }

    /**
     * Returns the network, for fine-tuning inside a trainer; its parameters live in this encoder's
     * manager.
     *
     * @return the block
     */
    public Block block() {
        return block;
    }

    @Override
    public float[][] encode(List<BufferedImage> images) {
        return run(images, false).vectors;
    }

    /**
     * Encodes images to their last spatial maps, one region vector per location, for attention
     * decoders: for VGG-16 conv5_3 gives 196 regions × 512, for ResNet-50 layer4 49 × 2048.
     *
     * @param images decoded images
     * @return {@code [B][H*W][C]}, locations in row-major order
     * @throws IllegalStateException if the network gives no spatial map
     */
    public float[][][] encodeSpatial(List<BufferedImage> images) {
        return run(images, true).maps;
    }

    /**
     * Encodes an already preprocessed batch (for parity checks and cached tensors).
     *
     * @param batch {@code n * 3 * crop * crop} floats, NCHW, normalised
     * @param n the number of images
     * @return n rows of {@link #featureSize()} floats
     * @throws IllegalArgumentException if the length does not match
     */
    public float[][] encodePreprocessed(float[] batch, int n) {
        int side = preprocessing.crop();
        if (batch.length != n * 3 * side * side) {
            throw new IllegalArgumentException("expected " + n + "x3x" + side + "x" + side + " = "
                    + (n * 3 * side * side) + " floats, got " + batch.length);
        }
        checkOpen();
        try (NDManager sub = manager.newSubManager()) {
            NDList out = forward(sub, sub.create(batch, new Shape(n, 3, side, side)));
            return rows(out.get(0), n);
        }
    }

    private record Result(float[][] vectors, float[][][] maps) {}

    private Result run(List<BufferedImage> images, boolean spatial) {
        checkOpen();
        int side = preprocessing.crop();
        int plane = 3 * side * side;
        float[][] vectors = new float[images.size()][];
        float[][][] maps = spatial ? new float[images.size()][][] : null;
        for (int start = 0; start < images.size(); start += options.batchSize()) {
            int n = Math.min(options.batchSize(), images.size() - start);
            float[] batch = new float[n * plane];
            for (int i = 0; i < n; i++) {
                BufferedImage image = images.get(start + i);
                if (image == null) {
                    throw new IllegalArgumentException("image " + (start + i) + " is null");
                }
                preprocessing.toTensor(image, batch, i * plane);
            }
            try (NDManager sub = manager.newSubManager()) {
                NDList out = forward(sub, sub.create(batch, new Shape(n, 3, side, side)));
                float[][] v = rows(out.get(0), n);
                System.arraycopy(v, 0, vectors, start, n);
                if (spatial) {
                    if (out.size() < 2 || out.get(1).getShape().dimension() != 4) {
                        throw new IllegalStateException(name + " gives no spatial map");
                    }
                    NDArray map = out.get(1); // [n, C, H, W] -> [n, H*W, C]
                    Shape s = map.getShape();
                    float[] flat = map.transpose(0, 2, 3, 1).toFloatArray();
                    int regions = (int) (s.get(2) * s.get(3));
                    int channels = (int) s.get(1);
                    for (int i = 0; i < n; i++) {
                        float[][] m = new float[regions][channels];
                        for (int r = 0; r < regions; r++) {
                            System.arraycopy(flat, (i * regions + r) * channels, m[r], 0, channels);
                        }
                        maps[start + i] = m;
                    }
                }
            }
        }
        return new Result(vectors, maps);
    }

    private NDList forward(NDManager sub, NDArray input) {
        try {
            NDList out = block.forward(new ParameterStore(sub, false), new NDList(input), false);
            out.attach(sub);
            return out;
        } catch (RuntimeException e) {
            throw new CaptionerException(name + ": forward pass failed on input " + input.getShape() + ": "
                    + e.getMessage(), e);
        }
    }

    private float[][] rows(NDArray vectors, int n) {
        Shape s = vectors.getShape();
        if (s.dimension() != 2 || s.get(0) != n || s.get(1) != featureSize) {
            throw new CaptionerException(name + ": expected features of shape (" + n + ", " + featureSize
                    + "), found " + s);
        }
        float[] flat = vectors.toFloatArray();
        float[][] out = new float[n][featureSize];
        for (int i = 0; i < n; i++) {
            System.arraycopy(flat, i * featureSize, out[i], 0, featureSize);
        }
        return out;
    }

    /**
     * Snapshots the network's parameters in the library's parameter-file format, kind {@value
     * #PARAMETER_FILE_KIND}, with the encoder's name and D as metadata.
     *
     * @return the file content, in Java heap memory
     * @throws IllegalStateException if the encoder is closed
     */
    public ParameterFile toParameterFile() {
        checkOpen();
        return parameterFile(block.getParameters(), name, featureSize);
    }

    /**
     * Snapshots the parameters of any encoder block as an encoder parameter file (kind {@value
     * #PARAMETER_FILE_KIND}); the trainer uses it for an encoder that trains end to end.
     *
     * @param parameters the block's initialised parameters
     * @param name the encoder's name, recorded as metadata
     * @param featureSize the encoder's D, recorded as metadata
     * @return the file content, in Java heap memory
     */
    public static ParameterFile parameterFile(PairList<String, Parameter> parameters, String name, int featureSize) {
        Map<String, ParameterFile.Tensor> arrays = new LinkedHashMap<>();
        ParameterFile.collect(parameters, "", arrays);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("architecture", name);
        meta.put("featureSize", Integer.toString(featureSize));
        return new ParameterFile(PARAMETER_FILE_KIND, meta, arrays);
    }

    /**
     * Saves the network's parameters in the library's parameter-file format ({@link
     * #toParameterFile()}), atomically. Use it for a fine-tuned or trained encoder.
     *
     * @param file the destination
     * @throws CaptionerException if writing fails
     * @throws IllegalStateException if the encoder is closed
     */
    public void saveParameters(Path file) {
        toParameterFile().write(file);
    }

    /**
     * Replaces the network's parameters with ones saved by {@link #saveParameters(Path)} (or by the
     * trainer, or inside a model artifact) from an encoder of the same architecture; trainability is
     * kept.
     *
     * @param file the saved parameters
     * @throws CaptionerException naming the file and the mismatch (another kind of file, another
     *     encoder or D, a missing parameter, or one with another shape)
     */
    public void loadParameters(Path file) {
        checkOpen();
        ParameterFile pf = ParameterFile.read(file, PARAMETER_FILE_KIND);
        String savedName = pf.metadata().get("architecture");
        String savedD = pf.metadata().get("featureSize");
        if ((savedName != null && !savedName.equals(name))
                || (savedD != null && !savedD.equals(Integer.toString(featureSize)))) {
            throw new CaptionerException(file + ": parameters of encoder " + savedName + " (D=" + savedD
                    + ") do not fit " + name + " (D=" + featureSize + ")");
        }
        pf.restoreAll(block.getParameters(), file, options.trainable());
        setTrainable(block, options.trainable());
    }

    /**
     * Makes a block's learnable parameters require gradients or not; batch-norm running statistics
     * never do (PyTorch refuses gradients for them; they are updated by the forward pass in
     * training mode).
     *
     * @param block the network
     * @param trainable whether weights, biases, gammas and betas require gradients
     */
    static void setTrainable(Block block, boolean trainable) {
        for (ai.djl.nn.Parameter p : block.getParameters().values()) {
            boolean statistic = p.getType() == ai.djl.nn.Parameter.Type.RUNNING_MEAN
                    || p.getType() == ai.djl.nn.Parameter.Type.RUNNING_VAR;
            p.freeze(statistic || !trainable);
        }
    }

    /**
     * Counts the arrays alive in this encoder's manager tree (parameters included); for leak tests.
     *
     * @return the number of managed arrays
     */
    int managedArrayCount() {
        return ((BaseNDManager) manager).getManagedArrays().size();
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException(name + " encoder is closed");
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            manager.close();
            if (owner != null) {
                try {
                    owner.close();
                } catch (Exception e) {
                    throw new CaptionerException(name + ": cannot release the model: " + e.getMessage(), e);
                }
            }
        }
    }

    @Override
    public String toString() {
        return "BlockEncoder[" + name + ", D=" + featureSize + ", batch " + options.batchSize()
                + (options.trainable() ? ", trainable" : ", frozen") + ", " + preprocessing + "]";
    }
}
