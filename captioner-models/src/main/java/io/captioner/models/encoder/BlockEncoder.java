package io.captioner.models.encoder;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.captioner.CaptionerException;
import io.captioner.ImageEncoder;
import io.captioner.models.image.Preprocessing;
import io.captioner.models.internal.ParameterFile;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
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
 * <p>Output: by default one vector of D floats per image. With {@link
 * EncoderOptions#withSpatialOutput()} the rows are the spatial map instead, {@link #featureShape()}
 * {@code {H, W, C}}, flattened location-major, channels last ({@code row[(y * W + x) * C + c]}),
 * optionally adaptive-average-pooled to a square side ({@link
 * EncoderOptions#withSpatialOutput(int)}); H and W are those of the network's map at the
 * preprocessing's crop size, or the pooled side.
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
    /** D, the length of the network's vector output (also the D of its parameter files). */
    private final int vectorSize;
    /** {H, W, C} of the rows when they are spatial maps, else null. */
    private final int[] mapShape;
    private final Block block;
    private final NDManager manager;
    private final Preprocessing preprocessing;
    private final EncoderOptions options;
    private final AutoCloseable owner;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * Wraps a network.
     *
     * @param kind which of the library's encoders this is, or null for other sources
     * @param vectorSize D of the network's vector output {@code [N, D]}
     * @throws IllegalArgumentException if spatial output is asked of a network that gives no
     *     spatial map, or whose map shape cannot be inferred
     */
    BlockEncoder(String name, EncoderKind kind, int vectorSize, Block block, NDManager manager,
            Preprocessing preprocessing, EncoderOptions options, AutoCloseable owner) {
        this.name = Objects.requireNonNull(name);
        this.kind = kind;
        this.vectorSize = vectorSize;
        this.block = Objects.requireNonNull(block);
        this.manager = Objects.requireNonNull(manager);
        this.preprocessing = Objects.requireNonNull(preprocessing);
        this.options = Objects.requireNonNull(options);
        this.owner = owner;
        this.mapShape = options.spatial() ? spatialShape(name, block, preprocessing.crop(), options) : null;
    }

    /** {H, W, C} of the block's map at the crop size, or of the pooled map. */
    private static int[] spatialShape(String name, Block block, int crop, EncoderOptions options) {
        Shape[] outputs;
        try {
            outputs = block.getOutputShapes(new Shape[] {new Shape(1, 3, crop, crop)});
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("encoder " + name + " cannot give spatial output: the shape of its"
                    + " map cannot be inferred (" + e + ")", e);
        }
        if (outputs.length < 2 || outputs[1].dimension() != 4) {
            throw new IllegalArgumentException("encoder " + name + " gives no spatial map (its outputs are "
                    + java.util.Arrays.toString(outputs) + "), so it cannot give spatial output");
        }
        Shape map = outputs[1];
        int side = options.spatialSize();
        return new int[] {
            side > 0 ? side : (int) map.get(2), side > 0 ? side : (int) map.get(3), (int) map.get(1)
        };
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

    /**
     * Returns D, the length of the network's pooled vector output, whatever the rows are.
     *
     * @return the vector size
     */
    public int vectorSize() {
        return vectorSize;
    }

    /**
     * Returns the length of each row: D for vectors, H·W·C for spatial maps.
     *
     * @return the feature size
     */
    @Override
    public int featureSize() {
        return mapShape == null ? vectorSize : mapShape[0] * mapShape[1] * mapShape[2];
    }

    /**
     * Returns {@code {D}} for vectors, {@code {H, W, C}} for spatial maps (rows location-major,
     * channels last).
     *
     * @return a fresh array
     */
    @Override
    public int[] featureShape() {
        return mapShape == null ? new int[] {vectorSize} : mapShape.clone();
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
        checkOpen();
        int side = preprocessing.crop();
        int plane = 3 * side * side;
        float[][] rows = new float[images.size()][];
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
            System.arraycopy(encodePreprocessed(batch, n), 0, rows, start, n);
        }
        return rows;
    }

    /**
     * Encodes an already preprocessed batch (for parity checks and cached tensors), in one forward
     * pass whatever the batch size option says.
     *
     * @param batch {@code n * 3 * crop * crop} floats, NCHW, normalised
     * @param n the number of images
     * @return n rows of {@link #featureSize()} floats, laid out as {@link #featureShape()}
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
            return mapShape == null ? rows(out.get(0), n, vectorSize) : mapRows(out, n);
        }
    }

    /** The map {@code [n, C, h, w]} (pooled if asked) as n rows of H·W·C, location-major. */
    private float[][] mapRows(NDList out, int n) {
        if (out.size() < 2 || out.get(1).getShape().dimension() != 4) {
            throw new CaptionerException(name + ": expected a spatial map [N, C, H, W] as the second output, found "
                    + (out.size() < 2 ? "none" : out.get(1).getShape()));
        }
        NDArray map = out.get(1);
        if (options.spatialSize() > 0) {
            // PyTorch's AdaptiveAvgPool2d; DJL's Pool has only global pooling
            map = JniUtils.adaptiveAvgPool((PtNDArray) map, new Shape(mapShape[0], mapShape[1]));
        }
        Shape expected = new Shape(n, mapShape[2], mapShape[0], mapShape[1]);
        if (!map.getShape().equals(expected)) {
            throw new CaptionerException(name + ": expected a spatial map of shape " + expected + ", found "
                    + map.getShape());
        }
        return rows(map.transpose(0, 2, 3, 1), n, featureSize());
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

    /** Splits {@code [n, ...]} into n Java rows of {@code size} floats. */
    private float[][] rows(NDArray values, int n, int size) {
        Shape s = values.getShape();
        if (s.get(0) != n || s.size() != (long) n * size) {
            throw new CaptionerException(name + ": expected " + n + " rows of " + size + " features, found "
                    + s);
        }
        float[] flat = values.toFloatArray();
        float[][] out = new float[n][size];
        for (int i = 0; i < n; i++) {
            System.arraycopy(flat, i * size, out[i], 0, size);
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
        return parameterFile(block.getParameters(), name, vectorSize);
    }

    /**
     * Snapshots the parameters of any encoder block as an encoder parameter file (kind {@value
     * #PARAMETER_FILE_KIND}); the trainer uses it for an encoder that trains end to end.
     *
     * @param parameters the block's initialised parameters
     * @param name the encoder's name, recorded as metadata
     * @param vectorSize the encoder's D (its vector output), recorded as metadata
     * @return the file content, in Java heap memory
     */
    public static ParameterFile parameterFile(PairList<String, Parameter> parameters, String name, int vectorSize) {
        Map<String, ParameterFile.Tensor> arrays = new LinkedHashMap<>();
        ParameterFile.collect(parameters, "", arrays);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("architecture", name);
        meta.put("featureSize", Integer.toString(vectorSize));
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
                || (savedD != null && !savedD.equals(Integer.toString(vectorSize)))) {
            throw new CaptionerException(file + ": parameters of encoder " + savedName + " (D=" + savedD
                    + ") do not fit " + name + " (D=" + vectorSize + ")");
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
        return "BlockEncoder[" + name + ", " + (mapShape == null ? "D=" + vectorSize
                : "spatial " + mapShape[0] + "x" + mapShape[1] + "x" + mapShape[2]) + ", batch " + options.batchSize()
                + (options.trainable() ? ", trainable" : ", frozen") + ", " + preprocessing + "]";
    }
}
