package io.captioner.models.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Ready-made combinations of {@link TrainingListener}s. */
public final class TrainingListeners {

    private TrainingListeners() {}

    /**
     * The usual listeners of a run that keeps its files in a work directory, in the order they are
     * called: {@link DivergenceCheck}; {@link CheckpointListener} (best model and resumable
     * checkpoint in {@code workDir}); {@link TrainingLog} ({@code workDir/}{@value
     * TrainingLog#FILE_NAME}); {@link LoggingListener}; and {@link EarlyStopping} when {@code
     * config.patience()} is above 0. Add a {@link ProgressListener} for a console bar.
     *
     * @param workDir the directory for checkpoints, the best model and the log
     * @param config the training configuration (its patience)
     * @return a new, modifiable list
     */
    public static List<TrainingListener> standard(Path workDir, TrainingConfig config) {
        List<TrainingListener> out = new ArrayList<>();
        out.add(new DivergenceCheck());
        out.add(new CheckpointListener(workDir));
        out.add(new TrainingLog(workDir.resolve(TrainingLog.FILE_NAME)));
        out.add(new LoggingListener());
        if (config.patience() > 0) {
            out.add(new EarlyStopping(config.patience()));
        }
        return out;
    }
}
