package io.captioner.models.decoder;

import io.captioner.models.internal.ParameterFile;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.captioner.CaptionDecoder;
import io.captioner.CaptionerException;
import io.captioner.DecoderState;
import io.captioner.models.EngineRandom;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link CaptionDecoder} backed by a {@link ShowAndTellDecoder} block on PyTorch, for greedy,
 * beam and sampling search.
 *
 * <p>Native memory: the decoder has a base {@link NDManager}; every {@link DecoderState} it
 * returns owns a child manager holding that state's {@code h} and {@code c} ({@code [L, B, H]}),
 * released by {@link DecoderState#close()} (idempotent) or, at the latest, when the decoder is
 * closed. Each call to {@link #start}, {@link #step} or {@link #select} works in a temporary
 * sub-manager closed before it returns, so the number of live NDArrays does not grow with the
 * number of steps. The decoder also holds a copy of the parameters in the layout of steps under
 * {@value #FAST_STEP_MAX_ROWS} rows (about the size of the LSTM and output weights plus V
 * x 4H floats, see {@code InferenceWeights}), owned by the decoder's manager and rebuilt when the
 * parameters change (see {@link #view}). Decoders made by {@link #create} or {@link #load} own their parameters and free
 * them on {@link #close()}; a decoder made by {@link #view} leaves the block's parameters to its
 * owner.
 *
 * <p>Split steps: a step of 2 to 64 rows (beam search at small batch) also computes the next
 * step's first-layer recurrent term and keeps it in the new state (gathered by {@code select});
 * that product may run on a thread of {@code StepHelpers}, a small pool of daemon threads shared
 * by every decoder in the JVM (by default half the processors; system property {@code
 * captioner.decoder.helperThreads}, 0 turns it off), in parallel with the logits on the calling
 * thread. A step hands work over only when a helper is idle and no more callers are stepping
 * than the helpers leave cores for, and takes it back if no helper has started it, so concurrent
 * decodes never queue behind each other; otherwise one product yields both results. The helper
 * works only on that step's own arrays and the read-only weight copy; what the decoders share is
 * the pool's threads and permits. The results are the same on every path (SplitStepTest).
 *
 * <p>Precision and kernels ({@link InferenceSettings}, fixed when the decoder is made): the weights
 * a step reads hold the values of the settings' {@link Precision} at every batch size, and steps of
 * at most {@link InferenceSettings#fewRowMax()} rows run on the settings' {@link StepKernel}. With a
 * Java kernel such a step keeps its state in Java arrays and makes no native call ({@link
 * JavaLstmWeights}); states move between the two forms when a step's row count crosses the limit,
 * invisibly to callers. Every kernel gives the same log-probabilities to 1e-5.
 *
 * <p>Thread-safety: {@code start}, {@code step} and {@code select} may be called from several
 * threads at once on different states, as long as nobody updates the parameters meanwhile; a
 * single state must not be used concurrently. {@code close()} must not race with other calls.
 */
public final class LstmCaptionDecoder implements SavableDecoder {

    /** The {@link ParameterFile} kind of a saved decoder. */
    public static final String FILE_KIND = "show-and-tell-decoder";

    private final ShowAndTellDecoder block;
    private final NDManager manager;
    private final NDManager ownedParameters;
    private final ParameterStore parameterStore;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final InferenceSettings settings;
    /** The small-batch layout of the parameters; built on first use, rebuilt when they change. */
    private volatile InferenceWeights fast;
    /** Where part of a small-batch step may run; {@link StepHelpers#shared()} but in tests. */
    private volatile StepHelpers helpers = StepHelpers.shared();

    /**
     * Below this many rows, {@link #start} and {@link #step} compute the LSTM cells from {@link
     * InferenceWeights} (a gathered token-gate row, one product per layer, element-wise gates)
     * instead of calling PyTorch's whole-sequence {@code lstm} operator. Measured on a shared
     * 2-core AVX-512 machine (Flickr8k sizes, best of repeated blocks): the fast path took about
     * half the operator's time per step at 16 to 192 rows and the same at 320 and 640 rows, so the
     * operator is kept only for very large batches.
     */
    static final int FAST_STEP_MAX_ROWS = 256;

    private LstmCaptionDecoder(ShowAndTellDecoder block, NDManager ownedParameters, InferenceSettings settings) {
        this.block = block;
        this.ownedParameters = ownedParameters;
        this.settings = java.util.Objects.requireNonNull(settings, "settings");
        this.manager = ownedParameters != null ? ownedParameters.newSubManager() : NDManager.newBaseManager();
        this.parameterStore = new ParameterStore(manager, false);
        try {
            this.fast = block.inferenceWeights(manager, settings); // built once here, so steps never allocate it
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Creates a decoder with freshly initialised parameters (Xavier weights, zero biases).
     *
     * @param config the architecture
     * @param seed seeds the engine's random generator ({@link EngineRandom#seed}) before
     *     initialisation, so equal seeds give equal parameters
     * @return a decoder that owns its parameters
     */
    public static LstmCaptionDecoder create(DecoderConfig config, long seed) {
        return create(config, seed, InferenceSettings.defaults());
    }

    /**
     * Creates a decoder with freshly initialised parameters (Xavier weights, zero biases) that
     * decodes with the given precision and kernel.
     *
     * @param config the architecture
     * @param seed seeds the engine's random generator ({@link EngineRandom#seed}) before
     *     initialisation, so equal seeds give equal parameters
     * @param settings the precision of the step weights and the few-row kernel
     * @return a decoder that owns its parameters
     */
    public static LstmCaptionDecoder create(DecoderConfig config, long seed, InferenceSettings settings) {
        NDManager params = NDManager.newBaseManager();
        try {
            ShowAndTellDecoder block = new ShowAndTellDecoder(config);
            EngineRandom.seed(seed);
            block.initialize(params);
            setRequiresGradient(block, false);
            return new LstmCaptionDecoder(block, params, settings);
        } catch (RuntimeException e) {
            params.close();
            throw e;
        }
    }

    /**
     * Loads a decoder saved by {@link #save(Path)}; the architecture comes from the file.
     *
     * @param file the parameter file
     * @return a decoder that owns its parameters
     * @throws CaptionerException naming the file if it is missing, corrupt or inconsistent
     */
    public static LstmCaptionDecoder load(Path file) {
        return load(file, null, InferenceSettings.defaults());
    }

    /**
     * Loads a decoder saved by {@link #save(Path)} and checks that it has the expected
     * architecture (for example the vocabulary size of the vocabulary it will be used with).
     *
     * @param file the parameter file
     * @param expected the architecture the caller needs
     * @return a decoder that owns its parameters
     * @throws CaptionerException naming the file and the first field that differs
     */
    public static LstmCaptionDecoder load(Path file, DecoderConfig expected) {
        return load(file, expected, InferenceSettings.defaults());
    }

    /**
     * Loads a decoder saved by {@link #save(Path)} to decode with the given precision and kernel
     * (the file always holds float32), checking its architecture if one is expected.
     *
     * @param file the parameter file
     * @param expected the architecture the caller needs, or null to take the file's
     * @param settings the precision of the step weights and the few-row kernel
     * @return a decoder that owns its parameters
     * @throws CaptionerException naming the file and the first field that differs, or what is
     *     wrong with the file
     */
    public static LstmCaptionDecoder load(Path file, DecoderConfig expected, InferenceSettings settings) {
        ParameterFile pf = read(file);
        DecoderConfig found = configFromMetadata(pf.metadata(), file);
        if (expected != null) {
            checkSameArchitecture(expected, found, file);
        }
        return fromFile(pf, file, found, settings);
    }

    /**
     * Reads the architecture recorded in a saved decoder file.
     *
     * @param file the parameter file
     * @return the configuration
     * @throws CaptionerException naming the file if it is not a saved Show-and-Tell decoder
     */
    public static DecoderConfig readConfig(Path file) {
        return configFromMetadata(read(file).metadata(), file);
    }

    private static ParameterFile read(Path file) {
        return ParameterFile.read(file, FILE_KIND);
    }

    /**
     * Wraps an initialised block whose parameters someone else owns (a trainer, for example); the
     * decoder follows the current parameter values. Steps under {@value #FAST_STEP_MAX_ROWS} rows
     * read a copy of them in a faster layout, rebuilt whenever {@link
     * ShowAndTellDecoder#parameterVersion()} has moved on: training through the block moves it;
     * whoever changes parameter values another way must call {@link
     * ShowAndTellDecoder#parametersChanged()} before the next step.
     *
     * @param block an initialised block
     * @return a decoder whose {@link #close()} frees only its states, not the parameters
     */
    public static LstmCaptionDecoder view(ShowAndTellDecoder block) {
        if (!block.isInitialized()) {
            throw new IllegalArgumentException("block must be initialised before it is wrapped");
        }
        return new LstmCaptionDecoder(block, null, InferenceSettings.defaults());
    }

    private static LstmCaptionDecoder fromFile(ParameterFile pf, Path file, DecoderConfig config,
            InferenceSettings settings) {
        NDManager params = NDManager.newBaseManager();
        try {
            ShowAndTellDecoder block = new ShowAndTellDecoder(config);
            block.initialize(params);
            pf.restore(block.getParameters(), "", file, false);
            return new LstmCaptionDecoder(block, params, settings);
        } catch (RuntimeException e) {
            params.close();
            throw e;
        }
    }

    /**
     * Saves the architecture and parameter values atomically (temporary file, then rename).
     *
     * @param file the target file
     * @throws CaptionerException naming the file if writing fails
     */
    public void save(Path file) {
        ensureOpen();
        toParameterFile(block).write(file);
    }

    /**
     * Snapshots a block's architecture and parameters as a decoder file.
     *
     * @param block an initialised block
     * @return the file content, in Java heap memory
     */
    public static ParameterFile toParameterFile(ShowAndTellDecoder block) {
        Map<String, ParameterFile.Tensor> arrays = new LinkedHashMap<>();
        ParameterFile.collect(block.getParameters(), "", arrays);
        return new ParameterFile(FILE_KIND, configToMetadata(block.config()), arrays);
    }

    /**
     * Writes a configuration as string metadata.
     *
     * @param config the configuration
     * @return field name → value
     */
    public static Map<String, String> configToMetadata(DecoderConfig config) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("vocabularySize", Integer.toString(config.vocabularySize()));
        m.put("featureSize", Integer.toString(config.featureSize()));
        m.put("embeddingSize", Integer.toString(config.embeddingSize()));
        m.put("hiddenSize", Integer.toString(config.hiddenSize()));
        m.put("numLayers", Integer.toString(config.numLayers()));
        m.put("dropout", Double.toString(config.dropout()));
        m.put("imageInjection", config.imageInjection().name());
        m.put("imageMerge", Boolean.toString(config.imageMerge()));
        return m;
    }

    /**
     * Reads a configuration written by {@link #configToMetadata}.
     *
     * @param m the metadata
     * @param file the file it came from, for error messages
     * @return the configuration
     * @throws CaptionerException naming the file and the missing or invalid field
     */
    public static DecoderConfig configFromMetadata(Map<String, String> m, Path file) {
        try {
            return DecoderConfig.builder()
                    .setVocabularySize(Integer.parseInt(field(m, "vocabularySize", file)))
                    .setFeatureSize(Integer.parseInt(field(m, "featureSize", file)))
                    .optEmbeddingSize(Integer.parseInt(field(m, "embeddingSize", file)))
                    .optHiddenSize(Integer.parseInt(field(m, "hiddenSize", file)))
                    .optNumLayers(Integer.parseInt(field(m, "numLayers", file)))
                    .optDropout(Double.parseDouble(field(m, "dropout", file)))
                    .optImageInjection(ImageInjection.valueOf(field(m, "imageInjection", file)))
                    .optImageMerge(imageMerge(m.getOrDefault("imageMerge", "false"), file))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new CaptionerException(file + ": invalid decoder configuration: " + e.getMessage(), e);
        }
    }

    /** Files written before the merge option existed lack the field: they have no merge. */
    private static boolean imageMerge(String value, Path file) {
        if (!value.equals("true") && !value.equals("false")) {
            throw new CaptionerException(file + ": decoder configuration field imageMerge must be true or false,"
                    + " found " + value);
        }
        return Boolean.parseBoolean(value);
    }

    private static String field(Map<String, String> m, String key, Path file) {
        String v = m.get(key);
        if (v == null) {
            throw new CaptionerException(file + ": decoder configuration lacks field " + key);
        }
        return v;
    }

    private static void checkSameArchitecture(DecoderConfig expected, DecoderConfig found, Path file) {
        Map<String, String> e = configToMetadata(expected);
        Map<String, String> f = configToMetadata(found);
        for (Map.Entry<String, String> entry : e.entrySet()) {
            if (entry.getKey().equals("dropout")) {
                continue; // training-only; does not change the parameters
            }
            String other = f.get(entry.getKey());
            if (!entry.getValue().equals(other)) {
                throw new CaptionerException(file + ": decoder " + entry.getKey() + " is " + other
                        + " but the model needs " + entry.getValue());
            }
        }
    }

    private static void setRequiresGradient(ShowAndTellDecoder block, boolean requires) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            p.getValue().getArray().setRequiresGradient(requires);
        }
    }

    /**
     * Returns the block; its parameters are live (not a copy).
     *
     * @return the block
     */
    public ShowAndTellDecoder block() {
        return block;
    }

    /**
     * Returns the architecture.
     *
     * @return the configuration
     */
    public DecoderConfig config() {
        return block.config();
    }

    /**
     * Returns how this decoder computes its steps: precision, few-row kernel and limit.
     *
     * @return the settings it was made with
     */
    public InferenceSettings settings() {
        return settings;
    }

    /**
     * Returns the manager that parents every state's manager; tests use it to count live arrays.
     *
     * @return the base manager of states
     */
    public NDManager manager() {
        return manager;
    }

    @Override
    public int vocabularySize() {
        return block.config().vocabularySize();
    }

    @Override
    public int featureSize() {
        return block.config().featureSize();
    }

    @Override
    public DecoderState start(float[][] features) {
        ensureOpen();
        if (features == null || features.length == 0) {
            throw new IllegalArgumentException("features must have at least one row");
        }
        int d = featureSize();
        float[] flat = new float[features.length * d];
        for (int i = 0; i < features.length; i++) {
            if (features[i] == null || features[i].length != d) {
                throw new IllegalArgumentException("features[" + i + "] must have " + d + " values, found "
                        + (features[i] == null ? "null" : Integer.toString(features[i].length)));
            }
            System.arraycopy(features[i], 0, flat, i * d, d);
        }
        NDManager stateManager = manager.newSubManager();
        try (NDManager tmp = manager.newSubManager()) {
            NDArray f = tmp.create(flat, new Shape(features.length, d));
            // the operator path reads float32 weights, so other precisions always take the other one
            NDList hc = (features.length < FAST_STEP_MAX_ROWS || settings.precision() != Precision.FP32)
                    && block.config().imageInjection() == ImageInjection.FIRST_INPUT
                    ? fastWeights().startFromImage(f)
                    : block.initialState(parameterStore, f, false);
            State state = new State(this, stateManager, hc.get(0), hc.get(1), features.length);
            state.setMerge(block.mergeTerm(parameterStore, f, false));
            if (javaRows(features.length)) {
                JavaState java = state.toJava(layers(), block.config().hiddenSize(), null);
                state.close(); // the Java copy is all the state now
                return java;
            }
            return state;
        } catch (RuntimeException e) {
            stateManager.close();
            throw e;
        }
    }

    @Override
    public Step step(DecoderState state, int[] previousTokens) {
        ensureOpen();
        BaseState base = own(state);
        if (previousTokens == null || previousTokens.length != base.batch) {
            throw new IllegalArgumentException("previousTokens must have " + base.batch + " ids (one per row), found "
                    + (previousTokens == null ? "null" : Integer.toString(previousTokens.length)));
        }
        int v = vocabularySize();
        for (int i = 0; i < previousTokens.length; i++) {
            int t = previousTokens[i];
            if (t < 0 || t >= v) {
                throw new IllegalArgumentException("previousTokens[" + i + "] must be in [0, " + v + "), found " + t);
            }
        }
        if (javaRows(base.batch)) {
            InferenceWeights w = fastWeights();
            JavaState js = base instanceof JavaState j ? j
                    : ((State) base).toJava(layers(), block.config().hiddenSize(), w.java());
            return javaStep(js, previousTokens, w.java());
        }
        long[] ids = new long[previousTokens.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = previousTokens[i];
        }
        NDManager stateManager = manager.newSubManager();
        try (NDManager tmp = manager.newSubManager()) {
            State s = base instanceof State st ? st : ((JavaState) base).toNd(tmp, block.config().hiddenSize());
            NDArray tokens = tmp.create(ids);
            if (s.batch < FAST_STEP_MAX_ROWS || settings.precision() != Precision.FP32) {
                return fastStep(s, tokens, tmp, stateManager);
            }
            NDList out = block.step(parameterStore, tokens, s.h, s.c, s.merge, false);
            float[][] logProbs = logProbs(out.get(0), s.batch);
            return new Step(logProbs, s.next(stateManager, out.get(1), out.get(2)));
        } catch (RuntimeException e) {
            stateManager.close();
            throw e;
        }
    }

    /** Whether a step of this many rows runs on a Java kernel. */
    private boolean javaRows(int rows) {
        return rows <= settings.fewRowMax() && settings.resolvedKernel().java();
    }

    private int layers() {
        return block.config().numLayers();
    }

    /**
     * A step on {@link JavaLstmWeights}: no NDArray, no native call. For row counts that {@link
     * StepHelpers#splits}, the next step's first-layer recurrent term is computed on a helper thread
     * while this one computes the logits, if a helper is free.
     */
    private Step javaStep(JavaState s, int[] tokens, JavaLstmWeights w) {
        StepHelpers pool = helpers;
        boolean split = pool.splits(s.batch);
        float[] carried = s.recurrent != null && s.recurrentVersion == w.version() ? s.recurrent : null;
        JavaLstmWeights.Result r;
        if (split) {
            pool.enter();
            try {
                r = w.step(tokens, s.h, s.c, carried, s.merge, pool);
            } finally {
                pool.exit();
            }
        } else {
            r = w.step(tokens, s.h, s.c, carried, s.merge, null);
        }
        JavaState next = new JavaState(this, r.h(), r.c(), s.merge, s.batch);
        if (r.recurrentNext() != null) {
            next.recurrent = r.recurrentNext();
            next.recurrentVersion = w.version();
        }
        return new Step(r.logProbs(), next);
    }

    /**
     * A step on {@link InferenceWeights}. When the helper pool {@link StepHelpers#splits} the row
     * count, the step also computes the next step's first-layer recurrent term and keeps it in the
     * new state; that product and the logits product are independent, so the first runs on a
     * helper thread if one is free (see {@link StepHelpers}) while this thread computes the logits
     * and their log-softmax, and otherwise both come from one product with the weights side by
     * side.
     */
    private Step fastStep(State s, NDArray tokens, NDManager tmp, NDManager stateManager) {
        StepHelpers pool = helpers;
        if (!pool.splits(s.batch)) {
            InferenceWeights w = fastWeights();
            NDList hc = w.cellsStep(tokens, s.h, s.c, carried(s, w));
            float[][] logProbs = logProbs(w.logits(hc.get(0), s.merge), s.batch);
            return new Step(logProbs, s.next(stateManager, hc.get(0), hc.get(1)));
        }
        pool.enter();
        try {
            InferenceWeights w = fastWeights();
            NDList hc = w.cellsStep(tokens, s.h, s.c, carried(s, w));
            NDArray h = hc.get(0);
            float[][] logProbs;
            NDArray recurrentNext;
            StepHelpers.Task<NDArray> next = pool.tryFork(() -> w.recurrentTerm(h, tmp));
            if (next == null) {
                // no helper free: one product for both, or (deeper stacks) one after the other
                NDArray[] both = w.logitsAndRecurrentTerm(h, s.merge, tmp);
                logProbs = logProbs(both[0], s.batch);
                recurrentNext = both[1];
            } else {
                try {
                    logProbs = logProbs(w.logits(h, s.merge), s.batch);
                } catch (RuntimeException | Error e) {
                    try {
                        next.join(); // the helper must be done with this step's arrays before they close
                    } catch (RuntimeException | Error suppressed) {
                        e.addSuppressed(suppressed);
                    }
                    throw e;
                }
                recurrentNext = next.join();
            }
            State state = s.next(stateManager, h, hc.get(1));
            state.setRecurrent(recurrentNext, w.version());
            return new Step(logProbs, state);
        } finally {
            pool.exit();
        }
    }

    /** The state's carried recurrent term if it was computed with these weights, else null. */
    private static NDArray carried(State s, InferenceWeights w) {
        return s.recurrent != null && s.recurrentVersion == w.version() ? s.recurrent : null;
    }

    /** Log-softmax of {@code [B, V]} logits, one Java array per row. */
    private float[][] logProbs(NDArray logits, int batch) {
        int v = vocabularySize();
        float[] lp = logits.logSoftmax(1).toFloatArray();
        float[][] logProbs = new float[batch][];
        if (batch == 1) {
            logProbs[0] = lp; // already a fresh array of V values
        } else {
            for (int i = 0; i < batch; i++) {
                logProbs[i] = java.util.Arrays.copyOfRange(lp, i * v, (i + 1) * v);
            }
        }
        return logProbs;
    }

    @Override
    public DecoderState select(DecoderState state, int[] rows) {
        ensureOpen();
        BaseState base = own(state);
        if (rows == null || rows.length == 0) {
            throw new IllegalArgumentException("rows must name at least one source row");
        }
        long[] idx = new long[rows.length];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] < 0 || rows[i] >= base.batch) {
                throw new IllegalArgumentException("rows[" + i + "] must be in [0, " + base.batch + "), found "
                        + rows[i]);
            }
            idx[i] = rows[i];
        }
        if (base instanceof JavaState js) {
            return selectJava(js, rows);
        }
        State s = (State) base;
        DecoderConfig cfg = block.config();
        Shape target = new Shape(cfg.numLayers(), rows.length, cfg.hiddenSize());
        NDManager stateManager = manager.newSubManager();
        try (NDManager tmp = manager.newSubManager()) {
            NDArray sources = tmp.create(idx);
            NDArray index = sources.reshape(1, rows.length, 1).broadcast(target);
            NDArray h = s.h.gather(index, 1);
            h.attach(tmp);
            NDArray c = s.c.gather(index, 1);
            c.attach(tmp);
            State selected = new State(this, stateManager, h, c, rows.length);
            if (s.merge != null) {
                NDArray merge = sources.getNDArrayInternal().embedding(sources, s.merge, SparseFormat.DENSE)
                        .singletonOrThrow();
                merge.attach(tmp);
                selected.setMerge(merge);
            }
            NDArray recurrent = s.recurrent;
            long version = s.recurrentVersion;
            if (recurrent == null && s.batch < rows.length && rows.length < FAST_STEP_MAX_ROWS
                    && helpers.splits(rows.length)) {
                // e.g. a beam search growing from 1 row to k: the recurrent term costs a 1-row
                // product here instead of a k-row one on the critical path of the next step
                InferenceWeights w = fastWeights();
                recurrent = w.recurrentTerm(s.h, tmp);
                version = w.version();
            }
            if (recurrent != null) {
                // a row gather in one operation (also from a strided view)
                NDArray r = sources.getNDArrayInternal().embedding(sources, recurrent, SparseFormat.DENSE)
                        .singletonOrThrow();
                r.attach(tmp);
                selected.setRecurrent(r, version);
            }
            return selected;
        } catch (RuntimeException e) {
            stateManager.close();
            throw e;
        }
    }

    /** {@link #select} of a state held in Java arrays: row copies. */
    private JavaState selectJava(JavaState s, int[] rows) {
        int hidden = block.config().hiddenSize();
        int layers = layers();
        float[][] h = new float[layers][rows.length * hidden];
        float[][] c = new float[layers][rows.length * hidden];
        for (int l = 0; l < layers; l++) {
            for (int i = 0; i < rows.length; i++) {
                System.arraycopy(s.h[l], rows[i] * hidden, h[l], i * hidden, hidden);
                System.arraycopy(s.c[l], rows[i] * hidden, c[l], i * hidden, hidden);
            }
        }
        float[] merge = null;
        if (s.merge != null) {
            merge = new float[rows.length * hidden];
            for (int i = 0; i < rows.length; i++) {
                System.arraycopy(s.merge, rows[i] * hidden, merge, i * hidden, hidden);
            }
        }
        JavaState selected = new JavaState(this, h, c, merge, rows.length);
        float[] recurrent = s.recurrent;
        long version = s.recurrentVersion;
        if (recurrent == null && s.batch < rows.length && javaRows(rows.length) && helpers.splits(rows.length)) {
            // as in the NDArray form: a 1 -> k expansion computes the term on its source rows
            JavaLstmWeights w = fastWeights().java();
            recurrent = w.recurrentTerm(s.h[0], s.batch);
            version = w.version();
        }
        if (recurrent != null) {
            int stride = recurrent.length / s.batch;
            float[] r = new float[rows.length * stride];
            for (int i = 0; i < rows.length; i++) {
                System.arraycopy(recurrent, rows[i] * stride, r, i * stride, stride);
            }
            selected.recurrent = r;
            selected.recurrentVersion = version;
        }
        return selected;
    }

    /**
     * Replaces the helper pool, for tests that force or forbid split steps.
     *
     * @param pool the pool later steps use
     */
    void useHelpers(StepHelpers pool) {
        this.helpers = pool;
    }

    /** Returns the fast-step weights of the current parameter values, rebuilding a stale copy. */
    private InferenceWeights fastWeights() {
        InferenceWeights w = fast;
        if (w != null && w.version() == block.parameterVersion()) {
            return w;
        }
        synchronized (this) {
            w = fast;
            if (w != null && w.version() == block.parameterVersion()) {
                return w;
            }
            InferenceWeights built = block.inferenceWeights(manager, settings);
            fast = built;
            if (w != null) {
                w.close(); // parameters changed, so no step may be running on the old copy
            }
            return built;
        }
    }

    private BaseState own(DecoderState state) {
        if (!(state instanceof BaseState s) || s.owner != this) {
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

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            manager.close();
            if (ownedParameters != null) {
                ownedParameters.close();
            }
        }
    }

    /** What both forms of a state share: the decoder that made it, its row count, whether it is closed. */
    private abstract static class BaseState implements DecoderState {
        final LstmCaptionDecoder owner;
        final int batch;
        final AtomicBoolean closed = new AtomicBoolean();

        BaseState(LstmCaptionDecoder owner, int batch) {
            this.owner = owner;
            this.batch = batch;
        }

        @Override
        public int batchSize() {
            return batch;
        }
    }

    /**
     * A state held in Java arrays, for the Java kernels: per layer h and c {@code [B, H]}, the merge
     * term {@code [B, H]} or null, the next recurrent term {@code [B, gateStride]} or null. Holds no
     * native memory.
     */
    private static final class JavaState extends BaseState {
        private final float[][] h;
        private final float[][] c;
        private final float[] merge;
        private float[] recurrent;
        private long recurrentVersion;

        JavaState(LstmCaptionDecoder owner, float[][] h, float[][] c, float[] merge, int batch) {
            super(owner, batch);
            this.h = h;
            this.c = c;
            this.merge = merge;
        }

        /** The same state as NDArrays in {@code m} (the recurrent term is not carried over). */
        State toNd(NDManager m, int hidden) {
            int layers = h.length;
            float[] hf = new float[layers * batch * hidden];
            float[] cf = new float[layers * batch * hidden];
            for (int l = 0; l < layers; l++) {
                System.arraycopy(h[l], 0, hf, l * batch * hidden, batch * hidden);
                System.arraycopy(c[l], 0, cf, l * batch * hidden, batch * hidden);
            }
            Shape shape = new Shape(layers, batch, hidden);
            State s = new State(owner, m, m.create(hf, shape), m.create(cf, shape), batch);
            if (merge != null) {
                s.setMerge(m.create(merge, new Shape(batch, hidden)));
            }
            return s;
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    /**
     * h and c of B rows (and their image merge term when the decoder has one), owned by a child
     * manager of the decoder's manager.
     */
    private static final class State extends BaseState {
        private final NDManager stateManager;
        private final NDArray h;
        private final NDArray c;
        /** The next step's first-layer recurrent term {@code [B, 4H]}, or null; see {@link #fastStep}. */
        private NDArray recurrent;
        /** The {@link InferenceWeights#version()} that {@link #recurrent} was computed with. */
        private long recurrentVersion;
        /** The rows' image merge term {@code [B, H]}, or null when the decoder has no merge. */
        private NDArray merge;

        State(LstmCaptionDecoder owner, NDManager stateManager, NDArray h, NDArray c, int batch) {
            super(owner, batch);
            this.stateManager = stateManager;
            h.attach(stateManager);
            c.attach(stateManager);
            this.h = h;
            this.c = c;
        }

        /** Keeps the rows' merge term (taken over by this state's manager); null keeps none. */
        void setMerge(NDArray m) {
            if (m != null) {
                m.attach(stateManager);
            }
            merge = m;
        }

        /**
         * The state after a step of these rows: new h and c, and a copy of this state's merge
         * term (states are closed independently, so they never share an array).
         */
        State next(NDManager nextManager, NDArray h, NDArray c) {
            State next = new State(owner, nextManager, h, c, batch);
            if (merge != null) {
                next.setMerge(merge.duplicate());
            }
            return next;
        }

        /** Keeps a precomputed recurrent term (taken over by this state's manager). */
        void setRecurrent(NDArray r, long version) {
            r.attach(stateManager);
            recurrent = r;
            recurrentVersion = version;
        }

        /**
         * Copies this state into Java arrays; the recurrent term comes along when it was computed
         * with {@code w}'s weights (its rows padded to {@code w}'s gate stride).
         */
        JavaState toJava(int layers, int hidden, JavaLstmWeights w) {
            float[] hf = h.toFloatArray();
            float[] cf = c.toFloatArray();
            float[][] hs = new float[layers][];
            float[][] cs = new float[layers][];
            for (int l = 0; l < layers; l++) {
                hs[l] = java.util.Arrays.copyOfRange(hf, l * batch * hidden, (l + 1) * batch * hidden);
                cs[l] = java.util.Arrays.copyOfRange(cf, l * batch * hidden, (l + 1) * batch * hidden);
            }
            JavaState js = new JavaState(owner, hs, cs, merge == null ? null : merge.toFloatArray(), batch);
            if (w != null && recurrent != null && recurrentVersion == w.version()) {
                int gates = 4 * hidden;
                float[] r = recurrent.toFloatArray();
                float[] padded = new float[batch * w.gateStride()];
                for (int i = 0; i < batch; i++) {
                    System.arraycopy(r, i * gates, padded, i * w.gateStride(), gates);
                }
                js.recurrent = padded;
                js.recurrentVersion = recurrentVersion;
            }
            return js;
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                stateManager.close();
            }
        }
    }
}
