package io.captioner.models.decoder;

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
import io.captioner.models.internal.ParameterFile;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link CaptionDecoder} backed by a {@link ShowAttendTellDecoder} block on PyTorch, for greedy,
 * beam and sampling search, reporting the attention weights of every step on request.
 *
 * <p>Input: {@link #start} takes one row per image of L·D floats, the encoder's spatial map
 * ({@link io.captioner.ImageEncoder#featureShape()} {@code {H, W, D}}, location-major, channels
 * last); {@link #featureShape()} is {@code {H, W, D}} of the configuration. With {@link
 * #start(float[][], boolean) start(features, true)} every {@link Step} carries the rows' weights
 * {@code [B][L]} (location {@code y * W + x}); otherwise they are not copied out of native memory.
 *
 * <p>Native memory: the decoder has a base {@link NDManager}. Every {@link DecoderState} owns a
 * child manager holding its {@code h} and {@code c} ({@code [B, N]}), and shares, counted by
 * reference, an image context: a child manager holding the rows' feature maps {@code [B, L, D]}
 * and encoder projections {@code [B, L, A]}, computed once by {@code start}. A step's new state
 * shares its parent's context; {@link #select} gathers the context's rows into a new one only when
 * the image of some row changes (a beam search that reorders beams within each image keeps the
 * context; one that duplicates an image into k beams or drops a finished image gathers). A context
 * is freed when the last state using it is closed, and everything at the latest when the decoder is
 * closed. Each call to {@link #start}, {@link #step} or {@link #select} works in a temporary
 * sub-manager closed before it returns, so the number of live NDArrays does not grow with the
 * number of steps. Decoders made by {@link #create} or {@link #load} own their parameters and free
 * them on {@link #close()}; a decoder made by {@link #view} leaves them to the block's owner.
 *
 * <p>Kernels ({@link InferenceSettings}, fixed when the decoder is made; float32 only): with a Java
 * kernel ({@link StepKernel#VECTOR} or {@link StepKernel#SCALAR}) steps of at most {@link
 * InferenceSettings#fewRowMax()} rows run on {@link JavaAttentionWeights}, a copy of the parameters
 * taken when the decoder is made, with the state and each image's map in Java arrays (no native
 * call per step); states move between the two forms when a step's row count crosses the limit.
 * The default ({@link StepKernel#AUTO}, which for this decoder resolves to {@link
 * StepKernel#TORCH}) steps on the block itself; a decoder made by {@link #view} always does, since
 * it follows parameters that change, and so does one with the deep output layer ({@link AttentionDecoderConfig#deepOutput()}),
 * which the Java kernels do not implement. Both give the same log-probabilities and attention weights to 1e-5.
 *
 * <p>Thread-safety: {@code start}, {@code step} and {@code select} may be called from several
 * threads at once on different states, as long as nobody updates the parameters meanwhile; a single
 * state must not be used concurrently. {@code close()} must not race with other calls.
 */
public final class AttentionCaptionDecoder implements SavableDecoder {

    /** The {@link ParameterFile} kind of a saved attention decoder. */
    public static final String FILE_KIND = "show-attend-tell-decoder";

    private final ShowAttendTellDecoder block;
    private final NDManager manager;
    private final NDManager ownedParameters;
    private final ParameterStore parameterStore;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final InferenceSettings settings;
    /** The Java kernels' copy of the step weights, or null when every step runs on the block. */
    private final JavaAttentionWeights java;

    private AttentionCaptionDecoder(ShowAttendTellDecoder block, NDManager ownedParameters,
            InferenceSettings settings) {
        this.block = block;
        this.ownedParameters = ownedParameters;
        this.settings = requireFp32(settings);
        this.manager = ownedParameters != null ? ownedParameters.newSubManager() : NDManager.newBaseManager();
        this.parameterStore = new ParameterStore(manager, false);
        StepKernel kernel = kernelFor(settings);
        // the Java kernels compute the plain output layer only; a deep-output model steps on the block
        this.java = ownedParameters != null && kernel != StepKernel.TORCH && !block.config().deepOutput()
                ? new JavaAttentionWeights(block, kernel) : null;
    }

    /**
     * Returns the kernel this decoder's few-row steps resolve to for the given settings: as {@link
     * StepKernel#resolve(Precision)}, except that {@link StepKernel#AUTO} (without the system
     * property) is {@link StepKernel#TORCH}, since the Java attention kernel measured slower than
     * PyTorch's step. A deep-output model or a {@link #view} steps on the block whatever this says.
     *
     * @param settings the precision and kernel asked for
     * @return {@link StepKernel#TORCH}, {@link StepKernel#VECTOR} or {@link StepKernel#SCALAR}
     */
    public static StepKernel kernelFor(InferenceSettings settings) {
        return settings.kernel().resolve(settings.precision(), StepKernel.TORCH);
    }

    private static InferenceSettings requireFp32(InferenceSettings settings) {
        if (settings.precision() != Precision.FP32) {
            throw new IllegalArgumentException("the attention decoder decodes at precision fp32 only, found "
                    + settings.precision());
        }
        return settings;
    }

    /**
     * Creates a decoder with freshly initialised parameters (Xavier weights, zero biases).
     *
     * @param config the architecture
     * @param seed seeds the engine's random generator ({@link EngineRandom#seed}) before
     *     initialisation, so equal seeds give equal parameters
     * @return a decoder that owns its parameters
     */
    public static AttentionCaptionDecoder create(AttentionDecoderConfig config, long seed) {
        return create(config, seed, InferenceSettings.defaults());
    }

    /**
     * Creates a decoder with freshly initialised parameters that steps with the given kernel.
     *
     * @param config the architecture
     * @param seed seeds the engine's random generator before initialisation
     * @param settings the few-row kernel and limit; the precision must be {@link Precision#FP32}
     * @return a decoder that owns its parameters
     * @throws IllegalArgumentException if the settings ask for another precision
     */
    public static AttentionCaptionDecoder create(AttentionDecoderConfig config, long seed,
            InferenceSettings settings) {
        requireFp32(settings);
        NDManager params = NDManager.newBaseManager();
        try {
            ShowAttendTellDecoder block = new ShowAttendTellDecoder(config);
            EngineRandom.seed(seed);
            block.initialize(params);
            for (Pair<String, Parameter> p : block.getParameters()) {
                p.getValue().getArray().setRequiresGradient(false);
            }
            return new AttentionCaptionDecoder(block, params, settings);
        } catch (RuntimeException e) {
            params.close();
            throw e;
        }
    }

    /**
     * Wraps an initialised block whose parameters someone else owns (a trainer, for example); the
     * decoder reads the current parameter values at every step.
     *
     * @param block an initialised block
     * @return a decoder whose {@link #close()} frees only its states, not the parameters
     * @throws IllegalArgumentException if the block is not initialised
     */
    public static AttentionCaptionDecoder view(ShowAttendTellDecoder block) {
        if (!block.isInitialized()) {
            throw new IllegalArgumentException("block must be initialised before it is wrapped");
        }
        return new AttentionCaptionDecoder(block, null, InferenceSettings.defaults());
    }

    /**
     * Loads a decoder saved by {@link #save(Path)}; the architecture comes from the file.
     *
     * @param file the parameter file
     * @return a decoder that owns its parameters
     * @throws CaptionerException naming the file if it is missing, corrupt, of another kind (for
     *     example the LSTM decoder's {@code show-and-tell-decoder}) or inconsistent
     */
    public static AttentionCaptionDecoder load(Path file) {
        return load(file, null, InferenceSettings.defaults());
    }

    /**
     * Loads a decoder saved by {@link #save(Path)} and checks that it has the expected architecture
     * (dropout, word dropout and the attention penalty, which do not shape the parameters, are not
     * compared).
     *
     * @param file the parameter file
     * @param expected the architecture the caller needs
     * @return a decoder that owns its parameters
     * @throws CaptionerException naming the file and the first field that differs
     */
    public static AttentionCaptionDecoder load(Path file, AttentionDecoderConfig expected) {
        return load(file, expected, InferenceSettings.defaults());
    }

    /**
     * Loads a decoder saved by {@link #save(Path)} that steps with the given kernel, checking its
     * architecture if one is expected.
     *
     * @param file the parameter file
     * @param expected the architecture the caller needs, or null to take the file's
     * @param settings the few-row kernel and limit; the precision must be {@link Precision#FP32}
     * @return a decoder that owns its parameters
     * @throws CaptionerException naming the file and the first field that differs, or what is wrong
     *     with the file
     * @throws IllegalArgumentException if the settings ask for another precision
     */
    public static AttentionCaptionDecoder load(Path file, AttentionDecoderConfig expected,
            InferenceSettings settings) {
        requireFp32(settings);
        ParameterFile pf = ParameterFile.read(file, FILE_KIND);
        AttentionDecoderConfig found = configFromMetadata(pf.metadata(), file);
        if (expected != null) {
            Map<String, String> e = configToMetadata(expected);
            Map<String, String> f = configToMetadata(found);
            for (Map.Entry<String, String> entry : e.entrySet()) {
                boolean trainingOnly = entry.getKey().equals("dropout") || entry.getKey().equals("attentionPenalty")
                        || entry.getKey().equals("wordDropout");
                if (!trainingOnly && !entry.getValue().equals(f.get(entry.getKey()))) {
                    throw new CaptionerException(file + ": attention decoder " + entry.getKey() + " is "
                            + f.get(entry.getKey()) + " but the model needs " + entry.getValue());
                }
            }
        }
        return fromFile(pf, file, found, settings);
    }

    private static AttentionCaptionDecoder fromFile(ParameterFile pf, Path file, AttentionDecoderConfig config,
            InferenceSettings settings) {
        NDManager params = NDManager.newBaseManager();
        try {
            ShowAttendTellDecoder block = new ShowAttendTellDecoder(config);
            block.initialize(params);
            pf.restore(block.getParameters(), "", file, false);
            return new AttentionCaptionDecoder(block, params, settings);
        } catch (RuntimeException e) {
            params.close();
            throw e;
        }
    }

    /**
     * Saves the architecture (as metadata) and parameter values atomically, as a {@link
     * ParameterFile} of kind {@value #FILE_KIND}.
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
    public static ParameterFile toParameterFile(ShowAttendTellDecoder block) {
        Map<String, ParameterFile.Tensor> arrays = new LinkedHashMap<>();
        ParameterFile.collect(block.getParameters(), "", arrays);
        return new ParameterFile(FILE_KIND, configToMetadata(block.config()), arrays);
    }

    /**
     * Reads the architecture recorded in a saved decoder file.
     *
     * @param file the parameter file
     * @return the configuration
     * @throws CaptionerException naming the file if it is not a saved attention decoder
     */
    public static AttentionDecoderConfig readConfig(Path file) {
        return configFromMetadata(ParameterFile.read(file, FILE_KIND).metadata(), file);
    }

    /**
     * Writes a configuration as string metadata (field name → value; the activation by its enum
     * name).
     *
     * @param config the configuration
     * @return field name → value, in declaration order
     */
    public static Map<String, String> configToMetadata(AttentionDecoderConfig config) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("vocabularySize", Integer.toString(config.vocabularySize()));
        m.put("mapHeight", Integer.toString(config.mapHeight()));
        m.put("mapWidth", Integer.toString(config.mapWidth()));
        m.put("featureChannels", Integer.toString(config.featureChannels()));
        m.put("attentionSize", Integer.toString(config.attentionSize()));
        m.put("embeddingSize", Integer.toString(config.embeddingSize()));
        m.put("hiddenSize", Integer.toString(config.hiddenSize()));
        m.put("dropout", Double.toString(config.dropout()));
        m.put("activation", config.activation().name());
        m.put("attentionPenalty", Double.toString(config.attentionPenalty()));
        m.put("deepOutput", Boolean.toString(config.deepOutput()));
        m.put("wordDropout", Double.toString(config.wordDropout()));
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
    public static AttentionDecoderConfig configFromMetadata(Map<String, String> m, Path file) {
        String activation = field(m, "activation", file);
        AttentionActivation act;
        try {
            act = AttentionActivation.valueOf(activation);
        } catch (IllegalArgumentException e) {
            throw new CaptionerException(file + ": attention decoder field activation must be one of "
                    + Arrays.toString(AttentionActivation.values()) + ", found " + activation, e);
        }
        String deepOutput = m.getOrDefault("deepOutput", "false");
        if (!deepOutput.equals("true") && !deepOutput.equals("false")) {
            throw new CaptionerException(file + ": attention decoder field deepOutput must be true or false, found "
                    + deepOutput);
        }
        try {
            return AttentionDecoderConfig.builder()
                    .setVocabularySize(Integer.parseInt(field(m, "vocabularySize", file)))
                    .setFeatureShape(Integer.parseInt(field(m, "mapHeight", file)),
                            Integer.parseInt(field(m, "mapWidth", file)),
                            Integer.parseInt(field(m, "featureChannels", file)))
                    .optAttentionSize(Integer.parseInt(field(m, "attentionSize", file)))
                    .optEmbeddingSize(Integer.parseInt(field(m, "embeddingSize", file)))
                    .optHiddenSize(Integer.parseInt(field(m, "hiddenSize", file)))
                    .optDropout(Double.parseDouble(field(m, "dropout", file)))
                    .optActivation(act)
                    .optAttentionPenalty(Double.parseDouble(m.getOrDefault("attentionPenalty", "1.0")))
                    // files written before the deep output layer existed score words from h alone
                    .optDeepOutput(deepOutput.equals("true"))
                    .optWordDropout(Double.parseDouble(m.getOrDefault("wordDropout", "0.0")))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new CaptionerException(file + ": invalid attention decoder configuration: " + e.getMessage(), e);
        }
    }

    private static String field(Map<String, String> m, String key, Path file) {
        String v = m.get(key);
        if (v == null) {
            throw new CaptionerException(file + ": attention decoder configuration lacks field " + key);
        }
        return v;
    }

    /**
     * Returns the block; its parameters are live (not a copy).
     *
     * @return the block
     */
    public ShowAttendTellDecoder block() {
        return block;
    }

    /**
     * Returns the architecture.
     *
     * @return the configuration
     */
    public AttentionDecoderConfig config() {
        return block.config();
    }

    /**
     * Returns how this decoder computes its steps.
     *
     * @return the settings it was made with
     */
    public InferenceSettings settings() {
        return settings;
    }

    /**
     * Returns the manager that parents every state's and context's manager; tests use it to count
     * live arrays.
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

    /**
     * Returns L·D, the length of one image's feature row.
     *
     * @return the feature size
     */
    @Override
    public int featureSize() {
        return block.config().featureSize();
    }

    /**
     * Returns {@code {H, W, D}} of the configuration.
     *
     * @return a fresh array
     */
    @Override
    public int[] featureShape() {
        return block.config().featureShape();
    }

    /**
     * Returns true: steps report attention weights when the state was started with them.
     *
     * @return true
     */
    @Override
    public boolean hasAttention() {
        return true;
    }

    /**
     * Creates the initial state without attention weights in its steps.
     *
     * @param features B rows of L·D floats, location-major, channels last
     * @return a state with B rows
     * @throws IllegalArgumentException if there is no row or a row has the wrong length
     */
    @Override
    public DecoderState start(float[][] features) {
        return start(features, false);
    }

    /**
     * Creates the initial state: {@code h_0}, {@code c_0} and the image context (feature maps and
     * encoder projection).
     *
     * @param features B rows of L·D floats, location-major, channels last
     * @param withAttention whether this state's steps (and those of states derived from it) report
     *     attention weights
     * @return a state with B rows
     * @throws IllegalArgumentException if there is no row or a row has the wrong length, naming the
     *     expected shape and the length found
     */
    @Override
    public DecoderState start(float[][] features, boolean withAttention) {
        ensureOpen();
        if (features == null || features.length == 0) {
            throw new IllegalArgumentException("features must have at least one row");
        }
        AttentionDecoderConfig cfg = block.config();
        int size = cfg.featureSize();
        float[] flat = new float[Math.multiplyExact(features.length, size)];
        for (int i = 0; i < features.length; i++) {
            if (features[i] == null || features[i].length != size) {
                throw new IllegalArgumentException("features[" + i + "] must be a " + cfg.mapHeight() + "x"
                        + cfg.mapWidth() + "x" + cfg.featureChannels() + " map (H x W x D, location-major,"
                        + " channels last) of " + size + " floats, found "
                        + (features[i] == null ? "null" : features[i].length + " floats"));
            }
            System.arraycopy(features[i], 0, flat, i * size, size);
        }
        int batch = features.length;
        int[] images = new int[batch];
        for (int i = 0; i < batch; i++) {
            images[i] = i;
        }
        if (javaRows(batch)) {
            try (NDManager tmp = manager.newSubManager()) {
                NDArray f = tmp.create(flat, new Shape(batch, cfg.locations(), cfg.featureChannels()));
                NDList initial = block.initialState(parameterStore, f, false);
                float[] projected = initial.get(2).toFloatArray();
                int projectedSize = cfg.locations() * cfg.attentionSize();
                float[][] rowFeatures = new float[batch][];
                float[][] rowProjected = new float[batch][];
                for (int i = 0; i < batch; i++) {
                    rowFeatures[i] = Arrays.copyOfRange(flat, i * size, (i + 1) * size);
                    rowProjected[i] = Arrays.copyOfRange(projected, i * projectedSize, (i + 1) * projectedSize);
                }
                return new JavaState(this, initial.get(0).toFloatArray(), initial.get(1).toFloatArray(), rowFeatures,
                        rowProjected, images, withAttention);
            }
        }
        NDManager contextManager = manager.newSubManager();
        NDManager stateManager = manager.newSubManager();
        try (NDManager tmp = manager.newSubManager()) {
            NDArray f = tmp.create(flat, new Shape(batch, cfg.locations(), cfg.featureChannels()));
            NDList initial = block.initialState(parameterStore, f, false);
            Context context = new Context(contextManager, f, initial.get(2), images);
            return new State(this, stateManager, initial.get(0), initial.get(1), context, withAttention);
        } catch (RuntimeException e) {
            stateManager.close();
            contextManager.close();
            throw e;
        }
    }

    /** Whether a step of this many rows runs on the Java kernel. */
    private boolean javaRows(int rows) {
        return java != null && rows <= settings.fewRowMax();
    }

    @Override
    public Step step(DecoderState state, int[] previousTokens) {
        ensureOpen();
        BaseState base = own(state);
        int batch = base.batchSize();
        if (previousTokens == null || previousTokens.length != batch) {
            throw new IllegalArgumentException("previousTokens must have " + batch + " ids (one per row), found "
                    + (previousTokens == null ? "null" : Integer.toString(previousTokens.length)));
        }
        int v = vocabularySize();
        long[] ids = new long[batch];
        for (int i = 0; i < batch; i++) {
            int t = previousTokens[i];
            if (t < 0 || t >= v) {
                throw new IllegalArgumentException("previousTokens[" + i + "] must be in [0, " + v + "), found " + t);
            }
            ids[i] = t;
        }
        if (javaRows(batch)) {
            JavaState js = base instanceof JavaState j ? j : ((State) base).toJava();
            JavaAttentionWeights.Result r = java.step(previousTokens, js.h, js.c, js.features, js.projected,
                    js.withAttention);
            return new Step(r.logProbs(), new JavaState(this, r.h(), r.c(), js.features, js.projected, js.images,
                    js.withAttention), r.alphas());
        }
        // a state held in Java arrays (fewer rows before a select) steps here through an NDArray copy
        State converted = base instanceof JavaState j ? j.toNd() : null;
        State s = converted != null ? converted : (State) base;
        NDManager stateManager = manager.newSubManager();
        try (NDManager tmp = manager.newSubManager()) {
            NDList out = block.step(parameterStore, tmp.create(ids), alias(s.h, tmp), alias(s.c, tmp),
                    alias(s.context.features, tmp), alias(s.context.projected, tmp), false);
            float[][] logProbs = rows(out.get(0).logSoftmax(1), batch, v);
            float[][] attention = s.withAttention ? rows(out.get(1), batch, block.config().locations()) : null;
            return new Step(logProbs, new State(this, stateManager, out.get(2), out.get(3), s.context,
                    s.withAttention), attention);
        } catch (RuntimeException e) {
            stateManager.close();
            throw e;
        } finally {
            if (converted != null) {
                converted.close(); // the new state holds its own share of the context
            }
        }
    }

    @Override
    public DecoderState select(DecoderState state, int[] rows) {
        ensureOpen();
        BaseState base = own(state);
        if (rows == null || rows.length == 0) {
            throw new IllegalArgumentException("rows must name at least one source row");
        }
        int batch = base.batchSize();
        long[] idx = new long[rows.length];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] < 0 || rows[i] >= batch) {
                throw new IllegalArgumentException("rows[" + i + "] must be in [0, " + batch + "), found " + rows[i]);
            }
            idx[i] = rows[i];
        }
        if (base instanceof JavaState js) {
            return js.select(rows);
        }
        State s = (State) base;
        int[] images = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            images[i] = s.context.images[rows[i]];
        }
        // rows reordered among the same images (beams within an image) keep the image context
        boolean sameImages = Arrays.equals(images, s.context.images);
        NDManager stateManager = manager.newSubManager();
        NDManager contextManager = sameImages ? null : manager.newSubManager();
        try (NDManager tmp = manager.newSubManager()) {
            NDArray sources = tmp.create(idx);
            NDArray h = gather(sources, s.h, tmp);
            NDArray c = gather(sources, s.c, tmp);
            Context context = s.context;
            if (!sameImages) {
                context = new Context(contextManager, gather(sources, s.context.features, tmp),
                        gather(sources, s.context.projected, tmp), images);
            }
            return new State(this, stateManager, h, c, context, s.withAttention);
        } catch (RuntimeException e) {
            stateManager.close();
            if (contextManager != null) {
                contextManager.close();
            }
            throw e;
        }
    }

    /**
     * A new array in {@code tmp} viewing the same values, so that operations on it create their
     * results in {@code tmp} rather than in the manager of a state or context.
     */
    private static NDArray alias(NDArray array, NDManager tmp) {
        NDArray view = array.reshape(array.getShape());
        view.attach(tmp);
        return view;
    }

    /** Rows {@code sources} of {@code array} along its first axis, as a new array in {@code tmp}. */
    private static NDArray gather(NDArray sources, NDArray array, NDManager tmp) {
        Shape shape = array.getShape();
        long width = shape.size() / shape.get(0);
        NDArray table = array.reshape(shape.get(0), width);
        table.attach(tmp);
        // a row gather in one operation
        NDArray picked = sources.getNDArrayInternal().embedding(sources, table, SparseFormat.DENSE)
                .singletonOrThrow();
        long[] dims = shape.getShape().clone();
        dims[0] = sources.getShape().get(0);
        NDArray result = picked.reshape(new Shape(dims));
        result.attach(tmp);
        return result;
    }

    /** {@code [B, X]} float32 as B fresh Java rows of X values. */
    private static float[][] rows(NDArray values, int batch, int width) {
        float[] flat = values.toFloatArray();
        float[][] out = new float[batch][];
        if (batch == 1) {
            out[0] = flat;
        } else {
            for (int i = 0; i < batch; i++) {
                out[i] = Arrays.copyOfRange(flat, i * width, (i + 1) * width);
            }
        }
        return out;
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

    @Override
    public String toString() {
        AttentionDecoderConfig c = block.config();
        return String.format(Locale.ROOT, "AttentionCaptionDecoder[V=%d, map %dx%dx%d, attention %d, %s]",
                c.vocabularySize(), c.mapHeight(), c.mapWidth(), c.featureChannels(), c.attentionSize(),
                c.activation());
    }

    /**
     * The rows' feature maps {@code [B, L, D]} and encoder projections {@code [B, L, A]}, shared by
     * the states whose rows show the same images in the same order, and freed when the last of
     * them is closed.
     */
    private static final class Context {
        private final NDManager contextManager;
        private final NDArray features;
        private final NDArray projected;
        /** For each row, the index of its image in the {@code start} call it descends from. */
        private final int[] images;
        private final AtomicInteger users = new AtomicInteger();

        Context(NDManager contextManager, NDArray features, NDArray projected, int[] images) {
            this.contextManager = contextManager;
            features.attach(contextManager);
            projected.attach(contextManager);
            this.features = features;
            this.projected = projected;
            this.images = images;
        }

        void acquire() {
            users.incrementAndGet();
        }

        void release() {
            if (users.decrementAndGet() == 0) {
                contextManager.close();
            }
        }
    }

    /** What both forms of a state share: the decoder that made it, whether steps report attention, closing. */
    private abstract static class BaseState implements DecoderState {
        final AttentionCaptionDecoder owner;
        final boolean withAttention;
        final AtomicBoolean closed = new AtomicBoolean();

        BaseState(AttentionCaptionDecoder owner, boolean withAttention) {
            this.owner = owner;
            this.withAttention = withAttention;
        }
    }

    /**
     * A state held in Java arrays, for the Java kernels: h and c {@code [B, N]}, and per row its
     * image's map {@code [L, D]} and encoder projection {@code [L, A]} (rows of one image share the
     * arrays) with the image's index in the {@code start} call. Holds no native memory.
     */
    private static final class JavaState extends BaseState {
        private final float[] h;
        private final float[] c;
        private final float[][] features;
        private final float[][] projected;
        private final int[] images;

        JavaState(AttentionCaptionDecoder owner, float[] h, float[] c, float[][] features, float[][] projected,
                int[] images, boolean withAttention) {
            super(owner, withAttention);
            this.h = h;
            this.c = c;
            this.features = features;
            this.projected = projected;
            this.images = images;
        }

        @Override
        public int batchSize() {
            return images.length;
        }

        /** The rows {@code rows} of this state: h and c copied, the maps shared. */
        JavaState select(int[] rows) {
            int n = owner.block.config().hiddenSize();
            float[] h2 = new float[rows.length * n];
            float[] c2 = new float[rows.length * n];
            float[][] f2 = new float[rows.length][];
            float[][] p2 = new float[rows.length][];
            int[] i2 = new int[rows.length];
            for (int i = 0; i < rows.length; i++) {
                System.arraycopy(h, rows[i] * n, h2, i * n, n);
                System.arraycopy(c, rows[i] * n, c2, i * n, n);
                f2[i] = features[rows[i]];
                p2[i] = projected[rows[i]];
                i2[i] = images[rows[i]];
            }
            return new JavaState(owner, h2, c2, f2, p2, i2, withAttention);
        }

        /** The same state as NDArrays with its own context; the caller closes it. */
        State toNd() {
            AttentionDecoderConfig cfg = owner.block.config();
            int rows = images.length;
            int size = cfg.featureSize();
            int projectedSize = cfg.locations() * cfg.attentionSize();
            float[] f = new float[rows * size];
            float[] p = new float[rows * projectedSize];
            for (int i = 0; i < rows; i++) {
                System.arraycopy(features[i], 0, f, i * size, size);
                System.arraycopy(projected[i], 0, p, i * projectedSize, projectedSize);
            }
            NDManager contextManager = owner.manager.newSubManager();
            NDManager stateManager = owner.manager.newSubManager();
            try {
                Context context = new Context(contextManager,
                        contextManager.create(f, new Shape(rows, cfg.locations(), cfg.featureChannels())),
                        contextManager.create(p, new Shape(rows, cfg.locations(), cfg.attentionSize())), images);
                Shape state = new Shape(rows, cfg.hiddenSize());
                return new State(owner, stateManager, stateManager.create(h, state), stateManager.create(c, state),
                        context, withAttention);
            } catch (RuntimeException e) {
                stateManager.close();
                contextManager.close();
                throw e;
            }
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    /** h and c of B rows in their own manager, plus a share of the rows' image context. */
    private static final class State extends BaseState {
        private final NDManager stateManager;
        private final NDArray h;
        private final NDArray c;
        private final Context context;

        State(AttentionCaptionDecoder owner, NDManager stateManager, NDArray h, NDArray c, Context context,
                boolean withAttention) {
            super(owner, withAttention);
            this.stateManager = stateManager;
            h.attach(stateManager);
            c.attach(stateManager);
            this.h = h;
            this.c = c;
            this.context = context;
            context.acquire();
        }

        @Override
        public int batchSize() {
            return context.images.length;
        }

        /** This state copied into Java arrays; rows of one image share their map arrays. */
        JavaState toJava() {
            AttentionDecoderConfig cfg = owner.block.config();
            int rows = context.images.length;
            int size = cfg.featureSize();
            int projectedSize = cfg.locations() * cfg.attentionSize();
            float[] f = context.features.toFloatArray();
            float[] p = context.projected.toFloatArray();
            float[][] rowFeatures = new float[rows][];
            float[][] rowProjected = new float[rows][];
            java.util.Map<Integer, Integer> first = new java.util.HashMap<>();
            for (int i = 0; i < rows; i++) {
                Integer j = first.putIfAbsent(context.images[i], i);
                if (j != null) {
                    rowFeatures[i] = rowFeatures[j];
                    rowProjected[i] = rowProjected[j];
                } else {
                    rowFeatures[i] = Arrays.copyOfRange(f, i * size, (i + 1) * size);
                    rowProjected[i] = Arrays.copyOfRange(p, i * projectedSize, (i + 1) * projectedSize);
                }
            }
            return new JavaState(owner, h.toFloatArray(), c.toFloatArray(), rowFeatures, rowProjected,
                    context.images.clone(), withAttention);
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                stateManager.close();
                context.release();
            }
        }
    }
}
