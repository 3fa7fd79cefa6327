package io.captioner.models.train;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs each epoch's result as one JSON line at INFO level through SLF4J (logger {@code
 * io.captioner.models.train.Trainer}), and a resumed run's starting point. Stateless.
 */
public final class LoggingListener implements TrainingListener {

    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

    @Override
    public void onTrainingBegin(TrainingContext context) {
        if (context.completedEpochs() > 0) {
            LOG.info("Resuming after epoch {}", context.completedEpochs());
        }
    }

    @Override
    public void onEpochEnd(TrainingContext context, EpochResult result) {
        LOG.info("{}", result.toJson());
    }
}
