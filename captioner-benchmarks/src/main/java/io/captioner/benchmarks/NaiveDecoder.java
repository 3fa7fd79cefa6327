package io.captioner.benchmarks;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.training.ParameterStore;

/**
 * Baseline (a) of issue 8: the decoding loop a DJL user writes from DJL's translation examples,
 * with no attention to speed. Every step creates its input NDArray from Java, runs the LSTM block
 * and the Linear block through {@code Block.forward}, takes softmax then log, picks tokens with
 * {@code argMax}/{@code topK}, and copies the chosen ids back to Java to feed the next step.
 *
 * <p>The embedding lookup is DJL's {@code Embedding.embedding} (what the Embedding block runs), so
 * every result lives in the call's manager. The weights are random (speed does not depend on them): an embedding table, two Linear
 * blocks that map the image feature to the initial h and c, a one-layer LSTM and the vocabulary
 * projection. The decoder always runs exactly {@code steps} steps (no early end), so every call
 * does the same work. Arrays of one call live in a sub-manager closed at the end of the call.
 * Not thread-safe; close it to free the weights.
 */
public final class NaiveDecoder implements AutoCloseable {

    private final ModelShape shape;
    private final NDManager manager;
    private final ParameterStore parameters;
    private final NDArray embedding;
    private final Linear initH;
    private final Linear initC;
    private final LSTM lstm;
    private final Linear output;

    /**
     * Creates the blocks and initialises them with random weights on a device.
     *
     * @param shape the decoder sizes
     * @param device where the weights and every step's arrays live
     * @param seed the engine's random seed, for repeatable weights
     */
    public NaiveDecoder(ModelShape shape, Device device, int seed) {
        this.shape = shape;
        this.manager = NDManager.newBaseManager(device);
        try {
            Engine.getInstance().setRandomSeed(seed);
            embedding = manager.randomNormal(0f, 0.1f,
                    new Shape(shape.vocabularySize(), shape.embeddingSize()), DataType.FLOAT32);
            initH = Linear.builder().setUnits(shape.hiddenSize()).build();
            initC = Linear.builder().setUnits(shape.hiddenSize()).build();
            lstm = LSTM.builder().setStateSize(shape.hiddenSize()).setNumLayers(1)
                    .optBatchFirst(true).optReturnState(true).build();
            output = Linear.builder().setUnits(shape.vocabularySize()).build();
            initH.initialize(manager, DataType.FLOAT32, new Shape(1, shape.featureSize()));
            initC.initialize(manager, DataType.FLOAT32, new Shape(1, shape.featureSize()));
            lstm.initialize(manager, DataType.FLOAT32, new Shape(1, 1, shape.embeddingSize()));
            output.initialize(manager, DataType.FLOAT32, new Shape(1, shape.hiddenSize()));
            parameters = new ParameterStore(manager, false);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Returns the sizes this decoder was built with.
     *
     * @return the shape
     */
    public ModelShape shape() {
        return shape;
    }

    /**
     * Greedy decoding of a batch for exactly {@code steps} steps.
     *
     * @param features B rows of D floats
     * @param steps how many tokens to generate per image
     * @return the chosen token ids, {@code [B][steps]}
     */
    public long[][] greedy(float[][] features, int steps) {
        int batch = features.length;
        long[][] out = new long[batch][steps];
        try (NDManager call = manager.newSubManager()) {
            NDArray f = call.create(flatten(features), new Shape(batch, shape.featureSize()));
            NDArray h = initH.forward(parameters, new NDList(f), false).singletonOrThrow().expandDims(0);
            NDArray c = initC.forward(parameters, new NDList(f), false).singletonOrThrow().expandDims(0);
            long[] tokens = new long[batch];
            java.util.Arrays.fill(tokens, 1); // <start>
            for (int t = 0; t < steps; t++) {
                NDArray ids = call.create(tokens);
                NDArray x = Embedding.embedding(ids, embedding, SparseFormat.DENSE).singletonOrThrow()
                        .reshape(batch, 1, shape.embeddingSize());
                NDList state = lstm.forward(parameters, new NDList(x, h, c), false);
                NDArray hidden = state.get(0).reshape(batch, shape.hiddenSize());
                NDArray logits = output.forward(parameters, new NDList(hidden), false).singletonOrThrow();
                NDArray logProbs = logits.softmax(1).log();
                tokens = logProbs.argMax(1).toLongArray();
                h = state.get(1);
                c = state.get(2);
                for (int b = 0; b < batch; b++) {
                    out[b][t] = tokens[b];
                }
            }
        }
        return out;
    }

    /**
     * Beam search of width k over a batch for exactly {@code steps} steps; returns the best beam.
     *
     * @param features B rows of D floats
     * @param k the beam width
     * @param steps how many tokens to generate per beam
     * @return the best sequence of each image, {@code [B][steps]}
     */
    public long[][] beam(float[][] features, int k, int steps) {
        int batch = features.length;
        int rows = batch * k;
        int v = shape.vocabularySize();
        long[][] sequences = new long[rows][steps];
        try (NDManager call = manager.newSubManager()) {
            NDArray f = call.create(flatten(features), new Shape(batch, shape.featureSize()));
            // every image starts as k copies; only the first copy is live (others score -inf)
            NDArray rowOfImage = call.arange(batch).repeat(k);
            NDArray fk = f.get(rowOfImage);
            NDArray h = initH.forward(parameters, new NDList(fk), false).singletonOrThrow().expandDims(0);
            NDArray c = initC.forward(parameters, new NDList(fk), false).singletonOrThrow().expandDims(0);
            float[] initial = new float[rows];
            for (int r = 0; r < rows; r++) {
                initial[r] = r % k == 0 ? 0f : Float.NEGATIVE_INFINITY;
            }
            NDArray scores = call.create(initial);
            long[] tokens = new long[rows];
            java.util.Arrays.fill(tokens, 1);
            for (int t = 0; t < steps; t++) {
                NDArray ids = call.create(tokens);
                NDArray x = Embedding.embedding(ids, embedding, SparseFormat.DENSE).singletonOrThrow()
                        .reshape(rows, 1, shape.embeddingSize());
                NDList state = lstm.forward(parameters, new NDList(x, h, c), false);
                NDArray hidden = state.get(0).reshape(rows, shape.hiddenSize());
                NDArray logits = output.forward(parameters, new NDList(hidden), false).singletonOrThrow();
                NDArray total = logits.softmax(1).log().add(scores.reshape(rows, 1));
                NDList best = total.reshape(batch, (long) k * v).topK(k, 1);
                scores = best.get(0).reshape(rows);
                long[] flat = best.get(1).toLongArray();
                long[] source = new long[rows];
                for (int r = 0; r < rows; r++) {
                    int image = r / k;
                    source[r] = (long) image * k + flat[r] / v;
                    tokens[r] = flat[r] % v;
                }
                NDArray gather = call.create(source);
                h = state.get(1).get(":, {}, :", gather);
                c = state.get(2).get(":, {}, :", gather);
                long[][] next = new long[rows][];
                for (int r = 0; r < rows; r++) {
                    next[r] = sequences[(int) source[r]].clone();
                    next[r][t] = tokens[r];
                }
                sequences = next;
            }
        }
        long[][] out = new long[batch][];
        for (int b = 0; b < batch; b++) {
            out[b] = sequences[b * k];
        }
        return out;
    }

    private float[] flatten(float[][] features) {
        int d = shape.featureSize();
        float[] flat = new float[features.length * d];
        for (int i = 0; i < features.length; i++) {
            if (features[i].length != d) {
                throw new IllegalArgumentException("features[" + i + "] must have " + d
                        + " values, found " + features[i].length);
            }
            System.arraycopy(features[i], 0, flat, i * d, d);
        }
        return flat;
    }

    /** Frees the weights. */
    @Override
    public void close() {
        manager.close();
    }
}
