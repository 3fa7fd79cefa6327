package io.captioner.models.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * The soft-attention decoder of Show, Attend and Tell (Xu et al., 2015) as a DJL block.
 *
 * <p>At every step t, reading the previous word {@code y} with LSTM state {@code h, c} (both from
 * step t-1) over the feature map {@code a} of L locations with D channels:
 *
 * <ol>
 *   <li>additive (Bahdanau) attention: {@code e_l = w · act(W_a a_l + W_h h)} per location ({@code
 *       act} tanh or ReLU, {@link AttentionDecoderConfig#activation()}), {@code α = softmax_l(e)}.
 *       {@code W_a a} (the encoder projection, with bias) depends only on the image and is computed
 *       once per image; {@code w} has no bias, since a constant added to every score does not
 *       change the softmax;
 *   <li>context {@code z = Σ_l α_l a_l}, gated by the paper's scalar {@code β = sigmoid(w_β · h +
 *       b_β)}: {@code z̃ = β z};
 *   <li>an LSTM cell (PyTorch's gate order i, f, g, o) over {@code [E y; z̃]}: its input weights
 *       are kept as a word part (with the cell's bias) and a context part, which equals one matrix
 *       over the concatenation and lets teacher forcing project all words at once;
 *   <li>with the paper's deep output layer ({@link AttentionDecoderConfig#deepOutput()}, eq. 7):
 *       {@code logits = L_o dropout(tanh(E y + L_h h_t + L_z z̃)) + b_o}, so the attended context
 *       reaches the word directly and not only through the LSTM state (the tanh is the authors'
 *       code's; the paper writes the sum without it); without it {@code logits = W_o dropout(h_t) +
 *       b_o}. Dropout only while training.
 * </ol>
 *
 * <p>While training, {@link AttentionDecoderConfig#wordDropout()} drops the whole embedding of a
 * previous word (the LSTM's input and the deep output's {@code E y} alike) with that probability,
 * scaling the kept ones, so the model cannot predict the next word from the previous one alone.
 *
 * <p>The initial state is {@code h_0 = tanh(W_h0 ā + b)}, {@code c_0 = tanh(W_c0 ā + b)} with
 * {@code ā} the mean feature over locations: the paper's "average of the annotation vectors fed
 * through two separate MLPs", with tanh as in the authors' code, which keeps {@code h_0} in the
 * range an LSTM's hidden state has at every later step ({@code o · tanh(c)} lies in (-1, 1)).
 *
 * <p>Shapes (B rows, L = H·W locations, D channels, A attention width, T time steps, E embedding,
 * N hidden size, V vocabulary); features are float32 {@code [B, L, D]}, location l = y·W + x, the
 * layout of spatial encoder rows reshaped:
 *
 * <ul>
 *   <li>{@link #forward(ParameterStore, NDList, boolean)} (teacher forcing, for training): inputs
 *       {@code features [B, L, D]} and {@code tokens [B, T] int64} ({@code <start> w1 .. wn} padded
 *       with {@code <pad>}), or {@code features [I, L, D]} of I distinct images, the tokens and
 *       {@code rowImages [B] int64} (row i reads image {@code rowImages[i]}), which computes the
 *       image-only part once per image; outputs {@code logits [B, T, V]}, where position t scores
 *       the token that follows {@code tokens[:, t]}, and {@code alphas [B, T, L]}, the attention
 *       weights of each step (rows sum to 1).
 *   <li>{@link #initialState(ParameterStore, NDArray, boolean)}: {@code features [B, L, D]} → {@code
 *       h [B, N]}, {@code c [B, N]} and the encoder projection {@code [B, L, A]}.
 *   <li>{@link #step(ParameterStore, NDArray, NDArray, NDArray, NDArray, NDArray, boolean)}: {@code
 *       tokens [B] int64}, {@code h}, {@code c}, {@code features} and the encoder projection →
 *       {@code logits [B, V]}, {@code alpha [B, L]}, new {@code h}, new {@code c}.
 * </ul>
 *
 * <p>The same parameters serve all three, so running the steps one after another over a caption
 * gives the logits and weights of teacher forcing (without dropout). Every result is created in the
 * manager of the input arrays (all inputs of one call must share a manager), never in the
 * parameters' manager. Initialise with {@link #initialize(NDManager)}. Not thread-safe while
 * parameters are being updated; forward passes without training may run concurrently.
 */
public final class ShowAttendTellDecoder extends AbstractBlock {

    private static final byte VERSION = 1;

    private final AttentionDecoderConfig config;
    private final Parameter embedding;
    private final Linear initH;
    private final Linear initC;
    private final Linear encoderProjection;
    private final Linear hiddenProjection;
    private final Linear score;
    private final Linear gate;
    private final Linear wordGates;
    private final Linear contextGates;
    private final Linear hiddenGates;
    private final Linear output;
    private final Linear outputHidden;
    private final Linear outputContext;

    /**
     * Creates an uninitialised decoder block.
     *
     * @param config sizes, dropout and activation
     * @throws IllegalArgumentException if {@code config} is null
     */
    @SuppressWarnings("this-escape")
    public ShowAttendTellDecoder(AttentionDecoderConfig config) {
        super(VERSION);
        if (config == null) {
            throw new IllegalArgumentException("config must not be null");
        }
        this.config = config;
        int hidden = config.hiddenSize();
        embedding = addParameter(Parameter.builder()
                .setName("embedding")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(config.vocabularySize(), config.embeddingSize()))
                .build());
        initH = addChildBlock("initH", Linear.builder().setUnits(hidden).build());
        initC = addChildBlock("initC", Linear.builder().setUnits(hidden).build());
        encoderProjection = addChildBlock("encoderProjection",
                Linear.builder().setUnits(config.attentionSize()).build());
        hiddenProjection = addChildBlock("hiddenProjection",
                Linear.builder().setUnits(config.attentionSize()).optBias(false).build());
        score = addChildBlock("score", Linear.builder().setUnits(1).optBias(false).build());
        gate = addChildBlock("gate", Linear.builder().setUnits(1).build());
        wordGates = addChildBlock("wordGates", Linear.builder().setUnits(4 * hidden).build());
        contextGates = addChildBlock("contextGates", Linear.builder().setUnits(4 * hidden).optBias(false).build());
        hiddenGates = addChildBlock("hiddenGates", Linear.builder().setUnits(4 * hidden).optBias(false).build());
        output = addChildBlock("output", Linear.builder().setUnits(config.vocabularySize()).build());
        if (config.deepOutput()) {
            // no biases: the output layer's bias already shifts every logit
            outputHidden = addChildBlock("outputHidden",
                    Linear.builder().setUnits(config.embeddingSize()).optBias(false).build());
            outputContext = addChildBlock("outputContext",
                    Linear.builder().setUnits(config.embeddingSize()).optBias(false).build());
        } else {
            outputHidden = null;
            outputContext = null;
        }
    }

    /**
     * Returns the configuration this block was built with.
     *
     * @return the configuration
     */
    public AttentionDecoderConfig config() {
        return config;
    }

    /**
     * Initialises all parameters in the given manager with DJL's default initialisers (Xavier
     * weights, zero biases). Seed the engine ({@code Engine.getInstance().setRandomSeed}) first for
     * reproducible values.
     *
     * @param manager the manager that will own the parameters
     */
    public void initialize(NDManager manager) {
        initialize(manager, DataType.FLOAT32, new Shape(1, config.locations(), config.featureChannels()),
                new Shape(1, 1));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        int d = config.featureChannels();
        int hidden = config.hiddenSize();
        Shape vector = new Shape(1, d);
        Shape state = new Shape(1, hidden);
        initH.initialize(manager, dataType, vector);
        initC.initialize(manager, dataType, vector);
        encoderProjection.initialize(manager, dataType, new Shape(1, config.locations(), d));
        hiddenProjection.initialize(manager, dataType, state);
        score.initialize(manager, dataType, new Shape(1, config.locations(), config.attentionSize()));
        gate.initialize(manager, dataType, state);
        wordGates.initialize(manager, dataType, new Shape(1, config.embeddingSize()));
        contextGates.initialize(manager, dataType, vector);
        hiddenGates.initialize(manager, dataType, state);
        if (config.deepOutput()) {
            outputHidden.initialize(manager, dataType, state);
            outputContext.initialize(manager, dataType, vector);
            output.initialize(manager, dataType, new Shape(1, config.embeddingSize()));
        } else {
            output.initialize(manager, dataType, state);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape tokens = inputShapes[1];
        return new Shape[] {
            new Shape(tokens.get(0), tokens.get(1), config.vocabularySize()),
            new Shape(tokens.get(0), tokens.get(1), config.locations())
        };
    }

    /**
     * Teacher-forced forward pass over whole captions.
     *
     * @param parameterStore where parameter values come from
     * @param inputs {@code features [B, L, D] float32}, {@code tokens [B, T] int64}; or {@code
     *     features [I, L, D]}, the tokens and {@code rowImages [B] int64} with values in {@code [0, I)}
     * @param training whether dropout is active
     * @param params unused
     * @return {@code logits [B, T, V]} and {@code alphas [B, T, L]}, in the manager of {@code
     *     features}
     * @throws IllegalArgumentException if the inputs are not two or three arrays of these shapes
     */
    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        if (inputs.size() != 2 && inputs.size() != 3) {
            throw new IllegalArgumentException("inputs must be (features [B, L, D], tokens [B, T]) or (features"
                    + " [I, L, D], tokens [B, T], row images [B]), found " + inputs.size() + " arrays");
        }
        NDArray features = inputs.get(0);
        NDArray tokens = inputs.get(1);
        NDArray rowImages = inputs.size() == 3 ? inputs.get(2) : null;
        checkFeatures(features);
        long batch = rowImages == null ? features.getShape().get(0) : rowImages.getShape().get(0);
        if (rowImages != null && rowImages.getShape().dimension() != 1) {
            throw new IllegalArgumentException("row images must have shape [B], found " + rowImages.getShape());
        }
        if (tokens.getShape().dimension() != 2 || tokens.getShape().get(0) != batch) {
            throw new IllegalArgumentException("tokens must have shape [B, T] with B = " + batch + ", found "
                    + tokens.getShape());
        }
        // image-only work (mean feature, initial state, encoder projection) once per image
        NDList start = initialState(parameterStore, features, training);
        NDArray h = start.get(0);
        NDArray c = start.get(1);
        NDArray projected = start.get(2);
        if (rowImages != null) {
            h = RowGather.rows(h, rowImages);
            c = RowGather.rows(c, rowImages);
            projected = RowGather.rows(projected, rowImages);
            features = RowGather.rows(features, rowImages);
        }
        NDArray embedded = embed(parameterStore, tokens, training);
        // the word part of every step's LSTM input in one product
        NDArray words = wordGates.forward(parameterStore, new NDList(embedded), training).singletonOrThrow();
        int steps = (int) tokens.getShape().get(1);
        List<NDArray> hidden = new ArrayList<>(steps);
        List<NDArray> contexts = new ArrayList<>(steps);
        List<NDArray> alphas = new ArrayList<>(steps);
        for (int t = 0; t < steps; t++) {
            NDArray[] cell = cell(parameterStore, words.get(":, " + t + ", :"), h, c, features, projected, training);
            alphas.add(cell[0]);
            h = cell[1];
            c = cell[2];
            hidden.add(h);
            contexts.add(cell[3]);
        }
        NDArray logits = logits(parameterStore, embedded, NDArrays.stack(new NDList(hidden), 1),
                config.deepOutput() ? NDArrays.stack(new NDList(contexts), 1) : null, training);
        return new NDList(logits, NDArrays.stack(new NDList(alphas), 1));
    }

    /**
     * Computes the LSTM state that precedes {@code <start>} and the per-image encoder projection
     * every step needs.
     *
     * @param parameterStore where parameter values come from
     * @param features the feature maps {@code [B, L, D] float32}
     * @param training whether gradients will be taken (the computation is the same either way)
     * @return {@code h [B, N]}, {@code c [B, N]} and the encoder projection {@code [B, L, A]}, in
     *     the manager of {@code features}
     * @throws IllegalArgumentException if {@code features} does not have shape {@code [B, L, D]}
     */
    public NDList initialState(ParameterStore parameterStore, NDArray features, boolean training) {
        checkFeatures(features);
        NDArray mean = features.mean(new int[] {1});
        NDArray h = initH.forward(parameterStore, new NDList(mean), training).singletonOrThrow().tanh();
        NDArray c = initC.forward(parameterStore, new NDList(mean), training).singletonOrThrow().tanh();
        NDArray projected = encoderProjection.forward(parameterStore, new NDList(features), training)
                .singletonOrThrow();
        return new NDList(h, c, projected);
    }

    /**
     * Advances every row by one token.
     *
     * @param parameterStore where parameter values come from
     * @param tokens the previous token of each row, {@code [B] int64}
     * @param h hidden state {@code [B, N]}
     * @param c cell state {@code [B, N]}
     * @param features the rows' feature maps {@code [B, L, D]}
     * @param projected the rows' encoder projections {@code [B, L, A]} from {@link #initialState}
     * @param training whether dropout is active
     * @return {@code logits [B, V]}, {@code alpha [B, L]} (the weights this step attended with),
     *     {@code h [B, N]} and {@code c [B, N]}, in the manager of {@code tokens}
     * @throws IllegalArgumentException if a shape is wrong, naming what was expected and found
     */
    public NDList step(ParameterStore parameterStore, NDArray tokens, NDArray h, NDArray c, NDArray features,
            NDArray projected, boolean training) {
        long batch = tokens.getShape().get(0);
        Shape state = new Shape(batch, config.hiddenSize());
        Shape map = new Shape(batch, config.locations(), config.featureChannels());
        Shape projection = new Shape(batch, config.locations(), config.attentionSize());
        if (tokens.getShape().dimension() != 1 || !h.getShape().equals(state) || !c.getShape().equals(state)
                || !features.getShape().equals(map) || !projected.getShape().equals(projection)) {
            throw new IllegalArgumentException("step expects tokens [B], h and c " + state + ", features " + map
                    + ", encoder projection " + projection + "; found tokens " + tokens.getShape() + ", h "
                    + h.getShape() + ", c " + c.getShape() + ", features " + features.getShape()
                    + ", projection " + projected.getShape());
        }
        NDArray embedded = embed(parameterStore, tokens, training);
        NDArray word = wordGates.forward(parameterStore, new NDList(embedded), training).singletonOrThrow();
        NDArray[] cell = cell(parameterStore, word, h, c, features, projected, training);
        NDArray logits = logits(parameterStore, embedded, cell[1], cell[3], training);
        return new NDList(logits, cell[0], cell[1], cell[2]);
    }

    /**
     * The output layer over one step ({@code [B, X]} inputs) or all steps ({@code [B, T, X]}).
     *
     * @param embedded the previous words' embeddings, as the LSTM read them
     * @param hidden the new hidden states
     * @param context the gated contexts the LSTM read, or null without the deep output layer
     */
    private NDArray logits(ParameterStore ps, NDArray embedded, NDArray hidden, NDArray context, boolean training) {
        NDArray in = hidden;
        if (config.deepOutput()) {
            in = embedded
                    .add(outputHidden.forward(ps, new NDList(hidden), training).singletonOrThrow())
                    .add(outputContext.forward(ps, new NDList(context), training).singletonOrThrow())
                    .tanh();
        }
        return output.forward(ps, new NDList(dropout(in, training)), training).singletonOrThrow();
    }

    /**
     * Attention, gate and LSTM cell of one step.
     *
     * @param word the word part of the LSTM input {@code [B, 4N]} (bias included)
     * @return {@code {alpha [B, L], h [B, N], c [B, N], gated context [B, D]}}
     */
    private NDArray[] cell(ParameterStore ps, NDArray word, NDArray h, NDArray c, NDArray features,
            NDArray projected, boolean training) {
        NDArray query = hiddenProjection.forward(ps, new NDList(h), training).singletonOrThrow();
        NDArray energies = query.expandDims(1).add(projected);
        energies = config.activation() == AttentionActivation.TANH ? energies.tanh() : Activation.relu(energies);
        NDArray scores = score.forward(ps, new NDList(energies), training).singletonOrThrow().squeeze(2);
        NDArray alpha = scores.softmax(1);
        NDArray context = alpha.expandDims(1).matMul(features).squeeze(1);
        NDArray beta = Activation.sigmoid(gate.forward(ps, new NDList(h), training).singletonOrThrow());
        NDArray gated = context.mul(beta);
        NDArray gates = word
                .add(contextGates.forward(ps, new NDList(gated), training).singletonOrThrow())
                .add(hiddenGates.forward(ps, new NDList(h), training).singletonOrThrow());
        NDList parts = gates.split(4, 1);
        NDArray in = Activation.sigmoid(parts.get(0));
        NDArray forget = Activation.sigmoid(parts.get(1));
        NDArray candidate = parts.get(2).tanh();
        NDArray out = Activation.sigmoid(parts.get(3));
        NDArray cNext = forget.mul(c).add(in.mul(candidate));
        NDArray hNext = out.mul(cNext.tanh());
        return new NDArray[] {alpha, hNext, cNext, gated};
    }

    /**
     * The parameters an inference step reads, for {@link JavaAttentionWeights}: live arrays, in
     * this order: embedding {@code [V, E]}, word-gate weight {@code [4N, E]} and bias {@code [4N]},
     * hidden projection {@code [A, N]}, score {@code [1, A]}, gate weight {@code [1, N]} and bias
     * {@code [1]}, context-gate weight {@code [4N, D]}, hidden-gate weight {@code [4N, N]}, output
     * weight {@code [V, N]} and bias {@code [V]}.
     *
     * @return the arrays; the caller reads them and must not change them
     */
    NDArray[] stepParameters() {
        return new NDArray[] {embedding.getArray(), weight(wordGates), bias(wordGates), weight(hiddenProjection),
            weight(score), weight(gate), bias(gate), weight(contextGates), weight(hiddenGates), weight(output),
            bias(output)};
    }

    private static NDArray weight(Linear linear) {
        return linear.getDirectParameters().get("weight").getArray();
    }

    private static NDArray bias(Linear linear) {
        return linear.getDirectParameters().get("bias").getArray();
    }

    private void checkFeatures(NDArray features) {
        Shape s = features.getShape();
        if (s.dimension() != 3 || s.get(1) != config.locations() || s.get(2) != config.featureChannels()) {
            throw new IllegalArgumentException("features must have shape [B, " + config.locations() + ", "
                    + config.featureChannels() + "] (a " + config.mapHeight() + "x" + config.mapWidth()
                    + " map of " + config.featureChannels() + " channels), found " + s);
        }
    }

    /** Embeddings {@code [..., E]} of token ids {@code [...]}, whole words dropped while training. */
    private NDArray embed(ParameterStore ps, NDArray tokens, boolean training) {
        NDArray weight = ps.getValue(embedding, tokens.getDevice(), training);
        NDArray ids = tokens.getDataType() == DataType.INT64 ? tokens : tokens.toType(DataType.INT64, false);
        NDArray embedded = ids.getNDArrayInternal().embedding(ids, weight, SparseFormat.DENSE).singletonOrThrow();
        if (!training || config.wordDropout() == 0) {
            return embedded;
        }
        // one keep-or-drop draw per token, shared by all E components, kept ones scaled by 1/(1-p)
        NDArray keep = Dropout.dropout(tokens.getManager().ones(ids.getShape().add(1)),
                (float) config.wordDropout(), true).singletonOrThrow();
        return embedded.mul(keep);
    }

    private NDArray dropout(NDArray x, boolean training) {
        if (!training || config.dropout() == 0) {
            return x;
        }
        return Dropout.dropout(x, (float) config.dropout(), true).singletonOrThrow();
    }
}
