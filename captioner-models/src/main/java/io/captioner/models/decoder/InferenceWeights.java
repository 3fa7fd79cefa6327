package io.captioner.models.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;

/**
 * A {@link ShowAndTellDecoder}'s parameters rearranged once for small-batch inference steps, and
 * the step computed with them: per token, one gather, one matrix product per layer for the gates,
 * the element-wise gates, and one product for the vocabulary logits.
 *
 * <p>What is precomputed (H hidden, E embedding, V vocabulary, 4H gate units in PyTorch's order
 * input, forget, cell, output):
 *
 * <ul>
 *   <li>{@code tokenGates [V, 4H]}: for every token, its embedding times the first layer's input
 *       weight plus both first-layer biases. A step's first-layer input contribution is then one
 *       row gather instead of a product; this costs V x 4H floats of memory (20.8 MB for the
 *       Flickr8k configuration, 82 MB for V = 10,000).
 *   <li>per layer, the input and recurrent weights transposed and stacked, {@code [in + H, 4H]},
 *       contiguous (so {@code [x, h]} needs one product), and the two biases summed;
 *   <li>the output weight transposed to {@code [H, V]} (with one layer: stored next to the
 *       recurrent weight as {@code [H, V + 4H]}, 4H x H floats more, so a step that needs the
 *       logits and the next step's recurrent term can get both from one product), and (image as
 *       first input) the image projection transposed to {@code [D, E]}.
 * </ul>
 *
 * <p>Row-major {@code [rows, K] x [K, N]} products with a contiguous right operand were the fastest
 * layout DJL's PyTorch engine offered at 1 to 10 rows (captioner-benchmarks); a transposed view as
 * the left operand fell off the BLAS path entirely.
 *
 * <p>Precision ({@link InferenceSettings#precision()}): the matrices a step reads (recurrent and
 * stacked LSTM weights, the output weight) hold the values of that precision ({@link
 * WeightRounding#rounded}) as float32 arrays, so PyTorch computes the reduced-precision model at
 * any batch, in float32 arithmetic. (PyTorch's own bfloat16 products are out of reach: DJL 0.36.0's
 * PyTorch binding aborts the JVM when it creates or converts to a bfloat16 tensor.) With a Java
 * kernel the snapshot also holds {@link #java()}, the same weights packed for {@link
 * JavaLstmWeights}, which then computes the steps of at most {@link InferenceSettings#fewRowMax()}
 * rows.
 *
 * <p>A snapshot: values are copied at construction from the block's parameters at {@link
 * #version()}; the owner rebuilds it when {@link ShowAndTellDecoder#parameterVersion()} moves on.
 * Owns a child manager of the one given at construction; {@link #close()} frees it. Read-only
 * after construction, so concurrent steps are safe.
 */
final class InferenceWeights implements AutoCloseable {

    private final NDManager manager;
    private final long version;
    private final int layers;
    private final NDArray tokenGates;
    private final NDArray[] inputT;
    private final NDArray[] recurrentT;
    private final NDArray[] stackedT;
    private final NDArray[] bias;
    private final NDArray outputT;
    private final NDArray outputBias;
    /** One layer only: {@code [H, V + 4H]}, the output weight and the recurrent weight side by side. */
    private final NDArray outputAndRecurrentT;
    private final long vocabulary;
    private final NDArray projectionT;
    private final NDArray projectionBias;
    private final InferenceSettings settings;
    /** The Java kernels' copy, or null when few-row steps run on PyTorch. */
    private final JavaLstmWeights java;

    /**
     * Builds the snapshot; every array given is read, not kept, and may be closed afterwards.
     *
     * @param parent the manager whose child will own the copies
     * @param version the parameter version the values belong to
     * @param embedding {@code [V, E]}
     * @param cells per layer {i2h weight [4H, in], h2h weight [4H, H], i2h bias [4H], h2h bias [4H]}
     * @param output output weight {@code [V, H]} and bias {@code [V]}
     * @param projection image projection weight {@code [E, D]} and bias {@code [E]}, or null when
     *     the image initialises the state instead
     * @param settings the precision, the few-row kernel and limit
     */
    InferenceWeights(NDManager parent, long version, NDArray embedding, NDArray[][] cells,
            NDArray[] output, NDArray[] projection, InferenceSettings settings) {
        this.version = version;
        this.layers = cells.length;
        this.settings = settings;
        Precision precision = settings.precision();
        StepKernel kernel = settings.resolvedKernel();
        manager = parent.newSubManager();
        try (NDManager tmp = parent.newSubManager()) {
            inputT = new NDArray[layers];
            recurrentT = new NDArray[layers];
            stackedT = new NDArray[layers];
            bias = new NDArray[layers];
            for (int l = 0; l < layers; l++) {
                NDArray wIh = detached(cells[l][0], tmp);
                NDArray wHh = detached(cells[l][1], tmp);
                long in = wIh.getShape().get(1);
                stackedT[l] = contiguousTranspose(NDArrays.concat(new NDList(wIh, wHh), 1), tmp);
                inputT[l] = keep(stackedT[l].get("0:" + in));
                recurrentT[l] = keep(stackedT[l].get(in + ":"));
                bias[l] = keep(detached(cells[l][2], tmp).add(detached(cells[l][3], tmp)));
            }
            NDArray emb = detached(embedding, tmp);
            tokenGates = keep(emb.matMul(inputT[0]).addi(bias[0]));
            NDArray outT = contiguousTranspose(detached(output[0], tmp), tmp);
            vocabulary = outT.getShape().get(1);
            outputBias = keep(detached(output[1], tmp).duplicate());
            java = kernel.java() ? new JavaLstmWeights(version, tokenGates, inputT, recurrentT, bias, outT, outputBias,
                    precision, kernel) : null;
            if (precision != Precision.FP32) {
                // the model at this precision: every step reads these values, whatever its size
                for (int l = 0; l < layers; l++) {
                    NDArray recurrent32 = recurrentT[l];
                    recurrentT[l] = rounded(recurrent32, precision);
                    if (l > 0) {
                        NDArray input32 = inputT[l];
                        NDArray stacked32 = stackedT[l];
                        inputT[l] = rounded(input32, precision);
                        stackedT[l] = keep(NDArrays.concat(new NDList(inputT[l], recurrentT[l]), 0));
                        input32.close();
                        recurrent32.close();
                        stacked32.close();
                    }
                    // layer 0: the float32 recurrent view stays part of stackedT[0], which startFromImage reads
                }
                NDArray outT32 = outT;
                outT = rounded(outT32, precision);
                outT32.close();
            }
            if (layers == 1) {
                outputAndRecurrentT = keep(NDArrays.concat(new NDList(outT, recurrentT[0]), 1));
                outputT = keep(outputAndRecurrentT.get(":, 0:" + vocabulary)); // a view: as fast
                outT.close();
            } else {
                outputAndRecurrentT = null;
                outputT = outT;
            }
            if (projection != null) {
                projectionT = contiguousTranspose(detached(projection[0], tmp), tmp);
                projectionBias = keep(detached(projection[1], tmp).duplicate());
            } else {
                projectionT = null;
                projectionBias = null;
            }
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** A kept float32 copy of a {@code [K, N]} matrix holding the values of a reduced precision. */
    private NDArray rounded(NDArray m, Precision precision) {
        Shape shape = m.getShape();
        int k = (int) shape.get(0);
        int n = (int) shape.get(1);
        float[] values = WeightRounding.rounded(m.toFloatArray(), k, n, precision);
        return keep(manager.create(values, shape));
    }

    /** Returns the settings this snapshot was built for. */
    InferenceSettings settings() {
        return settings;
    }

    /**
     * Returns the weights packed for the Java kernels, or null when few-row steps run on PyTorch.
     *
     * @return the Java kernels' copy
     */
    JavaLstmWeights java() {
        return java;
    }

    private static NDArray detached(NDArray a, NDManager tmp) {
        NDArray d = a.stopGradient();
        d.attach(tmp);
        return d;
    }

    private NDArray keep(NDArray a) {
        a.attach(manager);
        return a;
    }

    /** A row-major copy of the transpose: flatten forces a contiguous copy of the strided view. */
    private NDArray contiguousTranspose(NDArray a, NDManager tmp) {
        long rows = a.getShape().get(0);
        long cols = a.getShape().get(1);
        NDArray t = a.transpose();
        t.attach(tmp);
        NDArray flat = t.flatten();
        NDArray result = flat.reshape(cols, rows);
        flat.attach(tmp);
        return keep(result);
    }

    /** Returns the parameter version these values were copied from. */
    long version() {
        return version;
    }

    /**
     * Computes the state after the image (image as first input: one LSTM step from a zero state).
     *
     * @param features {@code [B, D]}; results are created in its manager
     * @return {@code h [L, B, H]}, {@code c [L, B, H]}
     */
    NDList startFromImage(NDArray features) {
        NDArray x = features.matMul(projectionT).addi(projectionBias);
        return cells(x.matMul(inputT[0]).addi(bias[0]), null, null, false);
    }

    /**
     * Advances the LSTM state of every row by one token, without the logits.
     *
     * @param tokens {@code [B] int64}; every result is created in its manager
     * @param h {@code [L, B, H]}, read only
     * @param c {@code [L, B, H]}, read only
     * @param recurrent0 the first layer's recurrent term {@code h[0] · W_hh0ᵀ} {@code [B, 4H]}
     *     computed from this {@code h} by {@link #recurrentTerm} (with these weights), or null to
     *     compute it here
     * @return new {@code h [L, B, H]}, new {@code c [L, B, H]}
     */
    NDList cellsStep(NDArray tokens, NDArray h, NDArray c, NDArray recurrent0) {
        NDArray gates0 = tokens.getNDArrayInternal().embedding(tokens, tokenGates, SparseFormat.DENSE)
                .singletonOrThrow();
        if (recurrent0 != null) {
            gates0 = gates0.addi(recurrent0);
        }
        return cells(gates0, h, c, recurrent0 != null);
    }

    /**
     * The vocabulary logits of a state's top layer.
     *
     * @param h {@code [L, B, H]}; the result is created in its manager
     * @param merge the rows' image merge term {@code [B, H]} added to the top layer first, or null
     * @return {@code [B, V]}
     */
    NDArray logits(NDArray h, NDArray merge) {
        NDArray top = layers == 1 ? h.squeeze(0) : h.get(layers - 1);
        top.attach(h.getManager());
        if (merge != null) {
            top = top.add(merge); // not in place: top is a view of the state's h
        }
        return top.matMul(outputT).addi(outputBias);
    }

    /**
     * The first layer's recurrent term of the next step, {@code h[0] · W_hh0ᵀ}, which {@link
     * #cellsStep} can take instead of computing it; independent of {@link #logits}, so the two
     * products may run on different threads.
     *
     * @param h {@code [L, B, H]}, read only
     * @param m receives the result (and the view of {@code h} it reads)
     * @return {@code [B, 4H]}
     */
    NDArray recurrentTerm(NDArray h, NDManager m) {
        return layer(h, 0, m).matMul(recurrentT[0]);
    }

    /**
     * {@link #logits} and {@link #recurrentTerm} of the same state, with one matrix product when
     * there is one layer (the products share their left operand).
     *
     * @param h {@code [L, B, H]}, read only, in manager {@code m}
     * @param merge the rows' image merge term {@code [B, H]}, or null; with one, the products
     *     have different left operands and run one after the other
     * @param m receives the results
     * @return {@code logits [B, V]} and {@code recurrent term [B, 4H]}
     */
    NDArray[] logitsAndRecurrentTerm(NDArray h, NDArray merge, NDManager m) {
        if (outputAndRecurrentT == null || merge != null) {
            NDArray recurrent = recurrentTerm(h, m);
            return new NDArray[] {logits(h, merge), recurrent};
        }
        NDArray both = layer(h, 0, m).matMul(outputAndRecurrentT);
        NDArray logits = both.get(":, 0:" + vocabulary).add(outputBias);
        NDArray recurrent = both.get(":, " + vocabulary + ":");
        return new NDArray[] {logits, recurrent};
    }

    /**
     * One step of every layer.
     *
     * @param inputGates0 the first layer's gates from its input, biases included, {@code [B, 4H]};
     *     its manager receives every result
     * @param h previous hidden state {@code [L, B, H]}, or null for zeros
     * @param c previous cell state {@code [L, B, H]}, or null for zeros
     * @param recurrentIncluded whether {@code inputGates0} already holds the first layer's
     *     recurrent term
     */
    private NDList cells(NDArray inputGates0, NDArray h, NDArray c, boolean recurrentIncluded) {
        NDManager m = inputGates0.getManager();
        NDArray[] hs = new NDArray[layers];
        NDArray[] cs = new NDArray[layers];
        NDArray input = null;
        for (int l = 0; l < layers; l++) {
            NDArray hPrev = h == null || (l == 0 && recurrentIncluded) ? null : layer(h, l, m);
            NDArray cPrev = c == null ? null : layer(c, l, m);
            NDArray gates;
            if (l == 0) {
                gates = hPrev == null ? inputGates0 : hPrev.matMul(recurrentT[0]).addi(inputGates0);
            } else if (hPrev == null) {
                gates = input.matMul(inputT[l]).addi(bias[l]);
            } else {
                gates = NDArrays.concat(new NDList(input, hPrev), 1).matMul(stackedT[l]).addi(bias[l]);
            }
            NDList g = gates.split(4, 1);
            NDArray in = Activation.sigmoid(g.get(0));
            NDArray candidate = g.get(2).tanh();
            NDArray cNext = in.muli(candidate);
            if (cPrev != null) {
                cNext = Activation.sigmoid(g.get(1)).muli(cPrev).addi(cNext);
            }
            NDArray hNext = Activation.sigmoid(g.get(3)).muli(cNext.tanh());
            hs[l] = hNext;
            cs[l] = cNext;
            input = hNext;
        }
        if (layers == 1) {
            return new NDList(hs[0].expandDims(0), cs[0].expandDims(0));
        }
        return new NDList(NDArrays.stack(new NDList(hs), 0), NDArrays.stack(new NDList(cs), 0));
    }

    /** Layer l of a state as {@code [B, H]}, a view owned by {@code m}. */
    private NDArray layer(NDArray state, int l, NDManager m) {
        NDArray v = layers == 1 ? state.squeeze(0) : state.get(l);
        v.attach(m);
        return v;
    }

    /** Frees the copies. */
    @Override
    public void close() {
        manager.close();
    }
}
