package io.captioner.models.train;

import io.captioner.models.internal.ConsoleProgress;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Draws one progress bar per epoch on a console stream, with the epoch's running loss: redrawn in
 * place on a terminal, plain lines every few seconds otherwise (see {@link ConsoleProgress}). Not
 * thread-safe; the stream is not closed.
 */
public final class ProgressListener implements TrainingListener {

    private final PrintStream out;
    private ConsoleProgress bar;

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
        closeBar();
        bar = ConsoleProgress.start(out, String.format(Locale.ROOT, "epoch %d/%d", epoch,
                context.config().epochs()), batches);
    }

    @Override
    public void onTrainingBatch(TrainingContext context, BatchResult batch) {
        if (bar == null) {
            return;
        }
        bar.stepTo(batch.batch(), String.format(Locale.ROOT, "loss %.4f", batch.epochLoss()));
        if (batch.batch() == batch.batches()) {
            closeBar();
        }
    }

    @Override
    public void onEpochEnd(TrainingContext context, EpochResult result) {
        closeBar();
    }

    @Override
    public void onTrainingEnd(TrainingContext context, TrainingResult result) {
        closeBar();
    }

    @Override
    public void onTrainingFailed(TrainingContext context, RuntimeException error) {
        closeBar();
    }

    private void closeBar() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
