package io.captioner.models.train;

import ai.djl.pytorch.jni.JniUtils;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import io.captioner.CaptionerException;
import io.captioner.models.decoder.DecoderSpec;
import io.captioner.models.decoder.DecoderType;
import io.captioner.models.encoder.BlockEncoder;
import io.captioner.models.internal.ParameterFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps a run's files in a work directory, each written atomically (temporary file, then rename):
 *
 * <ul>
 *   <li>{@value #BEST_DECODER}: the decoder of the best epoch so far, loadable with {@link
 *       DecoderType#load}; written whenever an epoch improves;
 *   <li>{@value #BEST_ENCODER}: the best epoch's encoder parameters, when the encoder trains end to
 *       end;
 *   <li>{@value #CHECKPOINT}: everything {@link Trainer#resume} needs, written after every epoch:
 *       all parameters, the optimiser's moments, and the run's state as JSON ({@link State}: the
 *       decoder's spec, the training configuration, the best epoch and score, the optimiser's step
 *       count, one {@link EpochResult} per finished epoch).
 * </ul>
 *
 * <p>{@link Trainer#resume} needs this listener among its listeners: it restores the parameters,
 * moments and history from the checkpoint, after checking that the checkpoint was made with the
 * same decoder spec and training configuration.
 */
public final class CheckpointListener implements TrainingListener {

    /** File name of the resumable checkpoint. */
    public static final String CHECKPOINT = "checkpoint.params";
    /** File name of the best decoder. */
    public static final String BEST_DECODER = "best-decoder.params";
    /** File name of the best encoder parameters. */
    public static final String BEST_ENCODER = "best-encoder.params";
    /** The parameter-file kind of checkpoints. */
    public static final String CHECKPOINT_KIND = "training-checkpoint";

    private static final String STATE_KEY = "state";
    private static final String HISTORY_KEY = "history.";
    private static final int STATE_VERSION = 2;
    private static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues().create();

    private final Path workDir;

    /**
     * The run's state as the checkpoint records it (serialised with Gson).
     *
     * @param version the layout version of this record, {@value #STATE_VERSION}
     * @param decoderType the decoder's type id
     * @param decoderSpec the decoder's spec, as the JSON of its record
     * @param trainingConfig the training configuration
     * @param completedEpochs epochs finished
     * @param bestEpoch the best epoch (from 1), or 0
     * @param bestScore its score
     * @param optimizerSteps the optimiser's step count
     */
    public record State(int version, String decoderType, JsonElement decoderSpec, TrainingConfig trainingConfig,
            int completedEpochs, int bestEpoch, double bestScore, long optimizerSteps) {}

    /**
     * Creates the listener.
     *
     * @param workDir the directory for the files (created when the first one is written)
     */
    public CheckpointListener(Path workDir) {
        this.workDir = workDir;
    }

    /**
     * Returns the work directory.
     *
     * @return the directory
     */
    public Path workDir() {
        return workDir;
    }

    /**
     * Returns where the best decoder is saved.
     *
     * @return the file (it exists once an epoch has finished)
     */
    public Path bestDecoder() {
        return workDir.resolve(BEST_DECODER);
    }

    /**
     * Returns where the best encoder parameters are saved when the encoder trains.
     *
     * @return the file
     */
    public Path bestEncoder() {
        return workDir.resolve(BEST_ENCODER);
    }

    /**
     * Returns where the resumable checkpoint is saved.
     *
     * @return the file
     */
    public Path checkpoint() {
        return workDir.resolve(CHECKPOINT);
    }

    @Override
    public void onEpochEnd(TrainingContext context, EpochResult result) {
        if (result.best()) {
            context.decoder().toParameterFile().write(bestDecoder());
            if (context.encoderTrains()) {
                Map<String, ParameterFile.Tensor> encoder = new LinkedHashMap<>();
                ParameterFile.collect(context.encoderParameters(), "", encoder);
                new ParameterFile(BlockEncoder.PARAMETER_FILE_KIND, Map.of(), encoder).write(bestEncoder());
            }
        }
        Map<String, String> meta = new LinkedHashMap<>();
        DecoderSpec spec = context.decoderSpec();
        State state = new State(STATE_VERSION, spec.type().id(), GSON.toJsonTree(spec), context.config(),
                context.completedEpochs(), context.bestEpoch(), context.bestScore(),
                context.optimizer().stepCount());
        meta.put(STATE_KEY, GSON.toJson(state));
        List<EpochResult> history = context.history();
        for (int i = 0; i < history.size(); i++) {
            meta.put(HISTORY_KEY + i, GSON.toJson(history.get(i)));
        }
        Map<String, ParameterFile.Tensor> arrays = new LinkedHashMap<>();
        ParameterFile.collect(context.allParameters(), "", arrays);
        context.optimizer().saveTo(arrays);
        new ParameterFile(CHECKPOINT_KIND, meta, arrays).write(checkpoint());
    }

    /**
     * Restores a run from the checkpoint: parameters, optimiser moments, history and best score.
     *
     * @param context the new run's state, with freshly initialised parameters
     * @throws CaptionerException if there is no checkpoint, it is corrupt, or it was made with
     *     another decoder spec or training configuration (the message names both)
     */
    void restore(TrainingContext context) {
        Path file = checkpoint();
        if (!Files.isRegularFile(file)) {
            throw new CaptionerException("Cannot resume: no checkpoint at " + file);
        }
        ParameterFile saved = ParameterFile.read(file, CHECKPOINT_KIND);
        State state = readState(saved, file);
        checkSame(context, state, file);
        List<EpochResult> history = new ArrayList<>();
        for (int i = 0; i < state.completedEpochs(); i++) {
            String json = saved.metadata().get(HISTORY_KEY + i);
            if (json == null) {
                throw new CaptionerException(file + ": checkpoint lacks " + HISTORY_KEY + i + " ("
                        + state.completedEpochs() + " epochs recorded)");
            }
            history.add(parse(json, EpochResult.class, file, HISTORY_KEY + i));
        }
        JniUtils.setGradMode(false);
        saved.restore(context.decoder().parameters(), Trainer.DECODER_PREFIX, file, true);
        context.decoder().parametersChanged();
        saved.restore(context.encoderParameters(), Trainer.ENCODER_PREFIX, file, true);
        context.optimizer().restoreFrom(saved, file, state.optimizerSteps());
        context.restore(history, state.bestEpoch(), state.bestScore());
    }

    private static State readState(ParameterFile saved, Path file) {
        String json = saved.metadata().get(STATE_KEY);
        if (json == null) {
            throw new CaptionerException(file + ": checkpoint has no '" + STATE_KEY + "' entry (written by an"
                    + " older version of the library); start a new run");
        }
        State state = parse(json, State.class, file, STATE_KEY);
        if (state.version() != STATE_VERSION) {
            throw new CaptionerException(file + ": checkpoint state version must be " + STATE_VERSION + ", found "
                    + state.version());
        }
        return state;
    }

    private static void checkSame(TrainingContext context, State state, Path file) {
        DecoderSpec spec = context.decoderSpec();
        DecoderSpec savedSpec;
        try {
            DecoderType type = DecoderType.of(state.decoderType());
            if (type != spec.type()) {
                throw new CaptionerException(file + ": checkpoint was made with decoder type " + type.id()
                        + ", cannot resume with " + spec.type().id());
            }
            savedSpec = parse(state.decoderSpec().toString(), type.specType(), file, "decoderSpec");
        } catch (IllegalArgumentException e) {
            throw new CaptionerException(file + ": checkpoint decoder: " + e.getMessage(), e);
        }
        if (!savedSpec.equals(spec)) {
            throw new CaptionerException(file + ": checkpoint was made with decoder " + savedSpec
                    + ", cannot resume with " + spec);
        }
        if (!context.config().equals(state.trainingConfig())) {
            throw new CaptionerException(file + ": checkpoint was made with " + state.trainingConfig()
                    + ", cannot resume with " + context.config());
        }
    }

    private static <T> T parse(String json, Class<T> type, Path file, String key) {
        try {
            T value = GSON.fromJson(json, type);
            if (value == null) {
                throw new CaptionerException(file + ": checkpoint entry " + key + " is empty");
            }
            return value;
        } catch (JsonParseException | IllegalArgumentException e) {
            throw new CaptionerException(file + ": checkpoint entry " + key + " is not a valid "
                    + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }
}
