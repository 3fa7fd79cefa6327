package io.captioner.models.train;

import io.captioner.io.AtomicFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Writes the run's history as JSON lines, one {@link EpochResult#toJson()} per epoch, to a file
 * rewritten atomically after every epoch (so it always matches the checkpoint of the same epoch).
 */
public final class TrainingLog implements TrainingListener {

    /** The usual file name, {@value}. */
    public static final String FILE_NAME = "training-log.jsonl";

    private final Path file;

    /**
     * Creates the listener.
     *
     * @param file the log file; its directory is created if absent
     */
    public TrainingLog(Path file) {
        this.file = file;
    }

    /**
     * Returns the log file.
     *
     * @return the path
     */
    public Path file() {
        return file;
    }

    @Override
    public void onEpochEnd(TrainingContext context, EpochResult result) {
        StringBuilder sb = new StringBuilder();
        for (EpochResult r : context.history()) {
            sb.append(r.toJson()).append('\n');
        }
        byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, out -> out.write(bytes));
    }
}
