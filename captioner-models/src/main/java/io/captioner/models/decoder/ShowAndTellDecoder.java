package io.captioner.models.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Show-and-Tell decoder as a DJL block: image vector → linear (+ dropout) → first LSTM input
 * or initial LSTM state; word embedding (+ dropout); a stacked, batch-first LSTM; optionally ({@link
 * DecoderConfig#imageMerge()}) plus a second linear projection of the image at every step; dropout;
 * linear to vocabulary logits.
 *
 * <p>Shapes (B batch rows, D features, T time steps, E embedding, H hidden, L layers, V vocabulary):
 *
 * <ul>
 *   <li>{@link #forward(ParameterStore, NDList, boolean)} (teacher forcing, for training): inputs
 *       {@code features [B, D] float32} and {@code tokens [B, T] int64} ({@code <start> w1 .. wn}
 *       padded with {@code <pad>}); output {@code logits [B, T, V]} where position t scores the
 *       token that follows {@code tokens[:, t]}.
 *   <li>{@link #initialState(ParameterStore, NDArray, boolean)}: {@code features [B, D]} → {@code
 *       h [L, B, H]}, {@code c [L, B, H]}, the state ready to read {@code <start>}.
 *   <li>{@link #mergeTerm(ParameterStore, NDArray, boolean)}: {@code features [B, D]} → {@code
 *       [B, H]}, the image term added to the top LSTM output at every step when {@link
 *       DecoderConfig#imageMerge()} is on (null otherwise).
 *   <li>{@link #step(ParameterStore, NDArray, NDArray, NDArray, NDArray, boolean)}: {@code tokens [B]
 *       int64}, {@code h}, {@code c} and the merge term → {@code logits [B, V]}, new {@code h}, new
 *       {@code c}.
 * </ul>
 *
 * <p>The same parameters serve all three, so running the steps one after another over a caption
 * gives the logits of teacher forcing (without dropout). Every result is created in the manager of
 * the first input array (features or tokens), never in the parameters' manager, so callers control
 * native memory by choosing that manager. Token ids follow {@link io.captioner.text.Vocabulary}.
 *
 * <p>Initialise with {@link #initialize(NDManager)} (or the standard DJL {@code initialize} with
 * shapes {@code [B, D]} and {@code [B, T]}). Not thread-safe while parameters are being updated;
 * forward passes without training may run concurrently.
 */
public final class ShowAndTellDecoder extends AbstractBlock {

    private static final byte VERSION = 1;

    private final DecoderConfig config;
    private final Parameter embedding;
    private final Linear imageProjection;
    private final Linear initH;
    private final Linear initC;
    private final LSTM lstm;
    private final AtomicLong parameterVersion = new AtomicLong();
    /** Per layer, the LSTM block's {i2h weight, h2h weight, i2h bias, h2h bias}, resolved once. */
    private final Parameter[][] lstmCells;
    private final Linear output;
    /** The image term added to the LSTM output, or null when {@link DecoderConfig#imageMerge()} is off. */
    private final Linear merge;

    /**
     * Creates an uninitialised decoder block.
     *
     * @param config sizes, depth, dropout and image injection mode
     */
    @SuppressWarnings("this-escape")
    public ShowAndTellDecoder(DecoderConfig config) {
        super(VERSION);
        if (config == null) {
            throw new IllegalArgumentException("config must not be null");
        }
        this.config = config;
        embedding = addParameter(Parameter.builder()
                .setName("embedding")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(config.vocabularySize(), config.embeddingSize()))
                .build());
        int stateUnits = config.numLayers() * config.hiddenSize();
        if (config.imageInjection() == ImageInjection.FIRST_INPUT) {
            imageProjection = addChildBlock("imageProjection",
                    Linear.builder().setUnits(config.embeddingSize()).build());
            initH = null;
            initC = null;
        } else {
            imageProjection = null;
            initH = addChildBlock("initH", Linear.builder().setUnits(stateUnits).build());
            initC = addChildBlock("initC", Linear.builder().setUnits(stateUnits).build());
        }
        lstm = addChildBlock("lstm", LSTM.builder()
                .setStateSize(config.hiddenSize())
                .setNumLayers(config.numLayers())
                .optDropRate(config.numLayers() > 1 ? (float) config.dropout() : 0f)
                .optBatchFirst(true)
                .optReturnState(true)
                .build());
        output = addChildBlock("output", Linear.builder().setUnits(config.vocabularySize()).build());
        merge = config.imageMerge()
                ? addChildBlock("imageMerge", Linear.builder().setUnits(config.hiddenSize()).build())
                : null;
        PairList<String, Parameter> lstmParams = lstm.getDirectParameters();
        lstmCells = new Parameter[config.numLayers()][];
        for (int layer = 0; layer < lstmCells.length; layer++) {
            String prefix = "l_" + layer + "_";
            lstmCells[layer] = new Parameter[] {
                lstmParams.get(prefix + "i2h_WEIGHT"), lstmParams.get(prefix + "h2h_WEIGHT"),
                lstmParams.get(prefix + "i2h_BIAS"), lstmParams.get(prefix + "h2h_BIAS")
            };
        }
    }

    /**
     * Returns the configuration this block was built with.
     *
     * @return the configuration
     */
    public DecoderConfig config() {
        return config;
    }

    /**
     * Initialises all parameters in the given manager with DJL's default initialisers (Xavier
     * weights, zero biases). Seed the engine ({@link io.captioner.models.EngineRandom#seed}) first for
     * reproducible values.
     *
     * @param manager the manager that will own the parameters
     */
    public void initialize(NDManager manager) {
        initialize(manager, DataType.FLOAT32, new Shape(1, config.featureSize()), new Shape(1, 1));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        parametersChanged();
        Shape features = new Shape(1, config.featureSize());
        if (imageProjection != null) {
            imageProjection.initialize(manager, dataType, features);
        } else {
            initH.initialize(manager, dataType, features);
            initC.initialize(manager, dataType, features);
        }
        lstm.initialize(manager, dataType, new Shape(1, 1, config.embeddingSize()));
        output.initialize(manager, dataType, new Shape(1, 1, config.hiddenSize()));
        if (merge != null) {
            merge.initialize(manager, dataType, features);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape tokens = inputShapes[1];
        return new Shape[] {new Shape(tokens.get(0), tokens.get(1), config.vocabularySize())};
    }

    /**
     * Teacher-forced forward pass over whole captions.
     *
     * @param parameterStore where parameter values come from
     * @param inputs {@code features [B, D] float32}, {@code tokens [B, T] int64}
     * @param training whether dropout is active
     * @param params unused
     * @return {@code logits [B, T, V]}, in the manager of {@code features}
     */
    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        if (inputs.size() != 2) {
            throw new IllegalArgumentException(
                    "inputs must be (features [B, D], tokens [B, T]), found " + inputs.size() + " arrays");
        }
        NDArray features = inputs.get(0);
        NDArray tokens = inputs.get(1);
        checkFeatures(features);
        if (training) {
            parametersChanged();
        }
        if (tokens.getShape().dimension() != 2 || tokens.getShape().get(0) != features.getShape().get(0)) {
            throw new IllegalArgumentException("tokens must have shape [B, T] with B = "
                    + features.getShape().get(0) + ", found " + tokens.getShape());
        }
        NDManager manager = features.getManager();
        NDArray words = dropout(embed(parameterStore, tokens, manager, training), training);
        NDArray hidden;
        if (config.imageInjection() == ImageInjection.FIRST_INPUT) {
            NDArray image = projectImage(parameterStore, features, training).expandDims(1);
            NDArray sequence = image.concat(words, 1);
            NDList out = lstm.forward(parameterStore, new NDList(sequence), training);
            long t = tokens.getShape().get(1);
            hidden = out.get(0).get(":, 1:" + (t + 1) + ", :");
        } else {
            NDList state = initialState(parameterStore, features, training);
            NDList out = lstm.forward(parameterStore,
                    new NDList(words, state.get(0), state.get(1)), training);
            hidden = out.get(0);
        }
        if (merge != null) {
            hidden = hidden.add(mergeTerm(parameterStore, features, training).expandDims(1));
        }
        NDArray logits = output.forward(parameterStore, new NDList(dropout(hidden, training)), training)
                .singletonOrThrow();
        return new NDList(logits);
    }

    /**
     * Computes the LSTM state that precedes {@code <start>}.
     *
     * @param parameterStore where parameter values come from
     * @param features image features {@code [B, D] float32}
     * @param training whether dropout is active
     * @return {@code h [L, B, H]} and {@code c [L, B, H]}, in the manager of {@code features}
     */
    public NDList initialState(ParameterStore parameterStore, NDArray features, boolean training) {
        checkFeatures(features);
        if (training) {
            parametersChanged();
        }
        NDManager manager = features.getManager();
        long batch = features.getShape().get(0);
        if (config.imageInjection() == ImageInjection.FIRST_INPUT) {
            NDArray image = projectImage(parameterStore, features, training).expandDims(1);
            Shape stateShape = new Shape(config.numLayers(), batch, config.hiddenSize());
            NDList out = lstm.forward(parameterStore,
                    new NDList(image, manager.zeros(stateShape), manager.zeros(stateShape)), training);
            return new NDList(out.get(1), out.get(2));
        }
        NDArray h = dropout(initH.forward(parameterStore, new NDList(features), training)
                .singletonOrThrow(), training);
        NDArray c = dropout(initC.forward(parameterStore, new NDList(features), training)
                .singletonOrThrow(), training);
        return new NDList(byLayer(h), byLayer(c));
    }

    /**
     * Computes the image term that {@link DecoderConfig#imageMerge()} adds to the top LSTM output
     * before the vocabulary projection at every step.
     *
     * @param parameterStore where parameter values come from
     * @param features image features {@code [B, D] float32}
     * @param training whether dropout is active
     * @return {@code [B, H]} in the manager of {@code features}, or null when the merge is off
     */
    public NDArray mergeTerm(ParameterStore parameterStore, NDArray features, boolean training) {
        checkFeatures(features);
        if (merge == null) {
            return null;
        }
        if (training) {
            parametersChanged();
        }
        return dropout(merge.forward(parameterStore, new NDList(features), training).singletonOrThrow(), training);
    }

    /**
     * Advances every row by one token, for a decoder without {@link DecoderConfig#imageMerge()}:
     * {@link #step(ParameterStore, NDArray, NDArray, NDArray, NDArray, boolean)} with no merge term.
     *
     * @param parameterStore where parameter values come from
     * @param tokens the previous token of each row, {@code [B] int64}
     * @param h hidden state {@code [L, B, H]}
     * @param c cell state {@code [L, B, H]}
     * @param training whether dropout is active
     * @return {@code logits [B, V]}, {@code h [L, B, H]}, {@code c [L, B, H]}, in the manager of
     *     {@code tokens}
     * @throws IllegalArgumentException if this decoder merges the image at the output
     */
    public NDList step(ParameterStore parameterStore, NDArray tokens, NDArray h, NDArray c,
            boolean training) {
        return step(parameterStore, tokens, h, c, null, training);
    }

    /**
     * Advances every row by one token with PyTorch's {@code lstm} operator (the reference
     * path; {@link LstmCaptionDecoder} runs small inference batches on {@code InferenceWeights}
     * instead, tested equal to this).
     *
     * @param parameterStore where parameter values come from
     * @param tokens the previous token of each row, {@code [B] int64}
     * @param h hidden state {@code [L, B, H]}
     * @param c cell state {@code [L, B, H]}
     * @param mergeTerm the rows' {@link #mergeTerm} {@code [B, H]} when {@link
     *     DecoderConfig#imageMerge()} is on, else null
     * @param training whether dropout is active
     * @return {@code logits [B, V]}, {@code h [L, B, H]}, {@code c [L, B, H]}, in the manager of
     *     {@code tokens}
     * @throws IllegalArgumentException if a shape is wrong, or the merge term is missing or not expected
     */
    public NDList step(ParameterStore parameterStore, NDArray tokens, NDArray h, NDArray c, NDArray mergeTerm,
            boolean training) {
        long batch = tokens.getShape().get(0);
        Shape stateShape = new Shape(config.numLayers(), batch, config.hiddenSize());
        if (tokens.getShape().dimension() != 1 || !h.getShape().equals(stateShape)
                || !c.getShape().equals(stateShape)) {
            throw new IllegalArgumentException("step expects tokens [B], h and c " + stateShape
                    + ", found tokens " + tokens.getShape() + ", h " + h.getShape() + ", c " + c.getShape());
        }
        checkMergeTerm(mergeTerm, batch);
        if (training) {
            parametersChanged();
        }
        NDManager manager = tokens.getManager();
        NDArray words = dropout(embed(parameterStore, tokens.reshape(batch, 1), manager, training), training);
        NDList out = lstm.forward(parameterStore, new NDList(words, h, c), training);
        NDArray top = out.get(0).squeeze(1);
        NDArray hidden = dropout(mergeTerm == null ? top : top.add(mergeTerm), training);
        NDArray logits = output.forward(parameterStore, new NDList(hidden), training).singletonOrThrow();
        return new NDList(logits, out.get(1), out.get(2));
    }

    /**
     * Returns a counter that moves on whenever the parameter values may have changed: on
     * initialisation, on every forward pass, initial state or step computed with {@code training}
     * true (training updates follow those), and on {@link #parametersChanged()}. Caches derived
     * from the parameters (see {@link LstmCaptionDecoder}) compare it to know they are stale.
     *
     * @return the current version
     */
    public long parameterVersion() {
        return parameterVersion.get();
    }

    /**
     * Records that parameter values were changed other than by training through this block (for
     * example restored from a file in place), so that caches derived from them are rebuilt.
     */
    public void parametersChanged() {
        parameterVersion.incrementAndGet();
    }

    /**
     * Copies the current parameter values into the layout of fast inference steps.
     *
     * @param parent the manager whose child will own the copies
     * @param settings the precision and few-row kernel the copies are laid out for
     * @return the snapshot, tagged with the version read before copying
     */
    InferenceWeights inferenceWeights(NDManager parent, InferenceSettings settings) {
        long version = parameterVersion();
        NDArray[][] cells = new NDArray[lstmCells.length][];
        for (int l = 0; l < cells.length; l++) {
            cells[l] = new NDArray[4];
            for (int i = 0; i < 4; i++) {
                cells[l][i] = lstmCells[l][i].getArray();
            }
        }
        NDArray[] projection = imageProjection == null ? null : linearParameters(imageProjection);
        return new InferenceWeights(parent, version, embedding.getArray(), cells, linearParameters(output),
                projection, settings);
    }

    private static NDArray[] linearParameters(Linear linear) {
        PairList<String, Parameter> p = linear.getDirectParameters();
        return new NDArray[] {p.get("weight").getArray(), p.get("bias").getArray()};
    }

    /**
     * Checks that a merge term {@code [B, H]} is given exactly when the merge is on.
     *
     * @param mergeTerm the term or null
     * @param batch B
     * @throws IllegalArgumentException naming the rule and what was found
     */
    private void checkMergeTerm(NDArray mergeTerm, long batch) {
        if (merge == null && mergeTerm != null) {
            throw new IllegalArgumentException("this decoder has no image merge (imageMerge=false), but a merge term "
                    + mergeTerm.getShape() + " was given");
        }
        if (merge != null) {
            Shape expected = new Shape(batch, config.hiddenSize());
            if (mergeTerm == null || !mergeTerm.getShape().equals(expected)) {
                throw new IllegalArgumentException("this decoder adds the image at the output (imageMerge=true):"
                        + " step needs its merge term " + expected + ", found "
                        + (mergeTerm == null ? "none" : mergeTerm.getShape()));
            }
        }
    }

    private void checkFeatures(NDArray features) {
        Shape s = features.getShape();
        if (s.dimension() != 2 || s.get(1) != config.featureSize()) {
            throw new IllegalArgumentException("features must have shape [B, " + config.featureSize()
                    + "], found " + s);
        }
    }

    private NDArray projectImage(ParameterStore ps, NDArray features, boolean training) {
        return dropout(imageProjection.forward(ps, new NDList(features), training).singletonOrThrow(),
                training);
    }

    private NDArray embed(ParameterStore ps, NDArray tokens, NDManager manager, boolean training) {
        NDArray weight = ps.getValue(embedding, manager.getDevice(), training);
        NDArray ids = tokens.getDataType() == DataType.INT64 ? tokens : tokens.toType(DataType.INT64, false);
        return ids.getNDArrayInternal().embedding(ids, weight, SparseFormat.DENSE).singletonOrThrow();
    }

    /** [B, L*H] → [L, B, H], contiguous. */
    private NDArray byLayer(NDArray flat) {
        int hidden = config.hiddenSize();
        List<NDArray> layers = new ArrayList<>(config.numLayers());
        for (int l = 0; l < config.numLayers(); l++) {
            layers.add(flat.get(":, " + (l * hidden) + ":" + ((l + 1) * hidden)));
        }
        return NDArrays.stack(new NDList(layers), 0);
    }

    private NDArray dropout(NDArray x, boolean training) {
        if (!training || config.dropout() == 0) {
            return x;
        }
        return Dropout.dropout(x, (float) config.dropout(), true).singletonOrThrow();
    }
}
