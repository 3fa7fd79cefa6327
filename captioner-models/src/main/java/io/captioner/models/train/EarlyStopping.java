package io.captioner.models.train;

/**
 * Stops training once the validation score has not improved for {@code patience} epochs. It keeps
 * no state of its own: it counts the epochs since the last {@link EpochResult#best()} in the
 * history, so a resumed run stops exactly where an uninterrupted one would.
 */
public final class EarlyStopping implements TrainingListener {

    private final int patience;

    /**
     * Creates the rule.
     *
     * @param patience epochs without improvement before stopping, at least 1
     * @throws IllegalArgumentException if patience is below 1
     */
    public EarlyStopping(int patience) {
        if (patience < 1) {
            throw new IllegalArgumentException("patience must be at least 1, found " + patience);
        }
        this.patience = patience;
    }

    /**
     * Returns the patience.
     *
     * @return epochs without improvement before stopping
     */
    public int patience() {
        return patience;
    }

    @Override
    public void onTrainingBegin(TrainingContext context) {
        if (!context.history().isEmpty() && context.epochsSinceImprovement() >= patience) {
            context.requestStop();
        }
    }

    @Override
    public void onEpochEnd(TrainingContext context, EpochResult result) {
        if (context.epochsSinceImprovement() >= patience && context.completedEpochs() < context.config().epochs()) {
            context.requestStop();
        }
    }
}
