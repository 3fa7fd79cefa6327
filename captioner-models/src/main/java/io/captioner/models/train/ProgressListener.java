package io.captioner.models.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Draws one progress bar per epoch on a console stream, with the epoch's running loss. Not
 * thread-safe; the stream is not closed.
 */
public final class ProgressListener implements TrainingListener {

    private final PrintStream out;
    private ProgressBar bar;

    /**
     * Creates the listener.
     *
     * @param out where to draw, for example {@code System.err}
     */
    public ProgressListener(PrintStream out) {
        this.out = out;
    }

    @Override
    public void onEpochBegin(TrainingContext context, int epoch, int batches) {
        bar = new ProgressBar(out, String.format(Locale.ROOT, "epoch %d/%d", epoch, context.config().epochs()),
                batches);
    }

    @Override
    public void onTrainingBatch(TrainingContext context, BatchResult batch) {
        if (bar == null) {
            return;
        }
        String status = String.format(Locale.ROOT, "loss %.4f", batch.epochLoss());
        if (batch.batch() < batch.batches()) {
            bar.update(batch.batch(), status);
        } else {
            bar.finish(status);
            bar = null;
        }
    }
}
