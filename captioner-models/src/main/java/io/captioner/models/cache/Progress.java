package io.captioner.models.cache;

/**
 * Receives progress of a long encoding run; implementations must be cheap (called once per batch).
 * The command-line tool draws it with a console progress bar; library users may log it, show it in
 * their own UI, or pass {@link #none()}.
 */
@FunctionalInterface
public interface Progress {

    /**
     * Reports progress.
     *
     * @param done items finished, including those found done when resuming
     * @param total items in the run
     * @param rate items per second in this session (0 before the first batch finishes)
     */
    void update(int done, int total, double rate);

    /**
     * Returns a listener that ignores all updates.
     *
     * @return a no-op listener
     */
    static Progress none() {
        return (done, total, rate) -> { };
    }
}
