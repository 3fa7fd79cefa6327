package io.captioner.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.util.Pair;
import io.captioner.CaptionDecoder;
import io.captioner.DecoderState;
import io.captioner.models.decoder.DecoderConfig;
import io.captioner.models.decoder.ImageInjection;
import io.captioner.models.decoder.LstmCaptionDecoder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An experiment for the decoder owners, not part of the SDK: the same one-layer Show-and-Tell step
 * as {@link LstmCaptionDecoder} (same weights, same log-probabilities up to float rounding), but
 * with the LSTM cell written as one fused GEMM plus element-wise gates instead of DJL's
 * {@code LSTM} block, which calls PyTorch's full sequence {@code lstm} operator on every step.
 *
 * <p>At construction the weights are copied once into the layout the step wants: {@code [E+H, 4H]}
 * for the input and recurrent weights side by side (so {@code [x, h]} needs one product), the
 * two LSTM biases summed, and the output weight transposed to {@code [H, V]}. Only
 * {@link ImageInjection#FIRST_INPUT} with one layer is supported. Owns a copy of the weights:
 * close it; the source decoder stays open and independent. Not thread-safe.
 */
public final class FusedStepDecoder implements CaptionDecoder {

    private final NDManager manager;
    private final int vocabularySize;
    private final int featureSize;
    private final int hidden;
    private final NDArray embedding;
    private final NDArray projectionT;
    private final NDArray projectionBias;
    private final NDArray gatesT;
    private final NDArray gatesBias;
    private final NDArray outputT;
    private final NDArray outputBias;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * Copies the weights of a project decoder into the fused layout.
     *
     * @param source a one-layer decoder with the image as first LSTM input
     * @throws IllegalArgumentException for another depth or injection mode
     */
    public FusedStepDecoder(LstmCaptionDecoder source) {
        DecoderConfig config = source.config();
        if (config.numLayers() != 1 || config.imageInjection() != ImageInjection.FIRST_INPUT) {
            throw new IllegalArgumentException("FusedStepDecoder supports numLayers 1 and FIRST_INPUT, found "
                    + config);
        }
        vocabularySize = config.vocabularySize();
        featureSize = config.featureSize();
        hidden = config.hiddenSize();
        Map<String, NDArray> p = new HashMap<>();
        for (Pair<String, Parameter> e : source.block().getParameters()) {
            String key = e.getKey().replaceFirst("^\\d+", "");
            p.put(key, e.getValue().getArray());
        }
        manager = NDManager.newBaseManager(p.get("embedding").getDevice());
        try {
            embedding = p.get("embedding").duplicate();
            embedding.attach(manager);
            projectionT = own(p.get("imageProjection_weight").transpose());
            projectionBias = own(p.get("imageProjection_bias").duplicate());
            gatesT = own(NDArrays.concat(new NDList(p.get("lstm_l_0_i2h_WEIGHT"), p.get("lstm_l_0_h2h_WEIGHT")), 1)
                    .transpose());
            gatesBias = own(p.get("lstm_l_0_i2h_BIAS").add(p.get("lstm_l_0_h2h_BIAS")));
            outputT = own(p.get("output_weight").transpose());
            outputBias = own(p.get("output_bias").duplicate());
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private NDArray own(NDArray a) {
        NDArray contiguous = a.duplicate(); // a transposed view becomes a contiguous copy
        contiguous.attach(manager);
        a.close();
        return contiguous;
    }

    @Override
    public int vocabularySize() {
        return vocabularySize;
    }

    @Override
    public int featureSize() {
        return featureSize;
    }

    @Override
    public DecoderState start(float[][] features) {
        ensureOpen();
        int batch = features.length;
        float[] flat = new float[batch * featureSize];
        for (int i = 0; i < batch; i++) {
            if (features[i].length != featureSize) {
                throw new IllegalArgumentException("features[" + i + "] must have " + featureSize
                        + " values, found " + features[i].length);
            }
            System.arraycopy(features[i], 0, flat, i * featureSize, featureSize);
        }
        NDManager stateManager = manager.newSubManager();
        try (NDManager tmp = manager.newSubManager()) {
            NDArray f = tmp.create(flat, new Shape(batch, featureSize));
            NDArray x = f.matMul(projectionT).addi(projectionBias);
            NDArray zeros = tmp.zeros(new Shape(batch, hidden));
            NDArray[] hc = cell(x, zeros, zeros);
            return new State(this, stateManager, hc[0], hc[1], batch);
        } catch (RuntimeException e) {
            stateManager.close();
            throw e;
        }
    }

    /** One LSTM cell step; PyTorch's gate order is input, forget, cell, output. */
    private NDArray[] cell(NDArray x, NDArray h, NDArray c) {
        NDArray gates = NDArrays.concat(new NDList(x, h), 1).matMul(gatesT).addi(gatesBias);
        NDList g = gates.split(4, 1);
        NDArray in = Activation.sigmoid(g.get(0));
        NDArray forget = Activation.sigmoid(g.get(1));
        NDArray cand = g.get(2).tanh();
        NDArray out = Activation.sigmoid(g.get(3));
        NDArray c2 = forget.muli(c).addi(in.muli(cand));
        NDArray h2 = out.muli(c2.tanh());
        return new NDArray[] {h2, c2};
    }

    @Override
    public Step step(DecoderState state, int[] previousTokens) {
        ensureOpen();
        State s = own(state);
        if (previousTokens.length != s.batch) {
            throw new IllegalArgumentException("previousTokens must have " + s.batch + " ids, found "
                    + previousTokens.length);
        }
        long[] ids = new long[s.batch];
        for (int i = 0; i < ids.length; i++) {
            if (previousTokens[i] < 0 || previousTokens[i] >= vocabularySize) {
                throw new IllegalArgumentException("previousTokens[" + i + "] must be in [0, " + vocabularySize
                        + "), found " + previousTokens[i]);
            }
            ids[i] = previousTokens[i];
        }
        NDManager stateManager = manager.newSubManager();
        try (NDManager tmp = manager.newSubManager()) {
            NDArray x = Embedding.embedding(tmp.create(ids), embedding, SparseFormat.DENSE).singletonOrThrow();
            NDArray[] hc = cell(x, s.h, s.c);
            float[] lp = hc[0].matMul(outputT).addi(outputBias).logSoftmax(1).toFloatArray();
            float[][] logProbs = new float[s.batch][];
            for (int i = 0; i < s.batch; i++) {
                logProbs[i] = Arrays.copyOfRange(lp, i * vocabularySize, (i + 1) * vocabularySize);
            }
            return new Step(logProbs, new State(this, stateManager, hc[0], hc[1], s.batch));
        } catch (RuntimeException e) {
            stateManager.close();
            throw e;
        }
    }

    @Override
    public DecoderState select(DecoderState state, int[] rows) {
        ensureOpen();
        State s = own(state);
        long[] idx = new long[rows.length];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] < 0 || rows[i] >= s.batch) {
                throw new IllegalArgumentException("rows[" + i + "] must be in [0, " + s.batch + "), found "
                        + rows[i]);
            }
            idx[i] = rows[i];
        }
        NDManager stateManager = manager.newSubManager();
        try (NDManager tmp = manager.newSubManager()) {
            NDArray index = tmp.create(idx);
            return new State(this, stateManager, s.h.get(index), s.c.get(index), rows.length);
        } catch (RuntimeException e) {
            stateManager.close();
            throw e;
        }
    }

    private State own(DecoderState state) {
        if (!(state instanceof State s) || s.owner != this) {
            throw new IllegalArgumentException("state was not created by this decoder");
        }
        if (s.closed.get()) {
            throw new IllegalStateException("state is closed");
        }
        return s;
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("decoder is closed");
        }
    }

    /** Frees the copied weights and any state still open. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            manager.close();
        }
    }

    /** h and c, {@code [B, H]} each, in their own sub-manager. */
    private static final class State implements DecoderState {
        private final FusedStepDecoder owner;
        private final NDManager stateManager;
        private final NDArray h;
        private final NDArray c;
        private final int batch;
        private final AtomicBoolean closed = new AtomicBoolean();

        State(FusedStepDecoder owner, NDManager stateManager, NDArray h, NDArray c, int batch) {
            this.owner = owner;
            this.stateManager = stateManager;
            h.attach(stateManager);
            c.attach(stateManager);
            this.h = h;
            this.c = c;
            this.batch = batch;
        }

        @Override
        public int batchSize() {
            return batch;
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                stateManager.close();
            }
        }
    }
}
