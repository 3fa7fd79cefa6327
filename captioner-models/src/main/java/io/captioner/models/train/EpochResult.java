package io.captioner.models.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;

/**
 * What one training epoch achieved; one line of the JSON-lines training log.
 *
 * @param epoch the epoch number, from 1
 * @param trainLoss mean masked cross-entropy per target token over the epoch (nats, with dropout)
 * @param valLoss mean masked cross-entropy per target token on the validation split (no dropout)
 * @param metricName the validation metric's name, or {@code "val_loss"} when early stopping uses
 *     the validation loss
 * @param valMetric the metric's value, or NaN when there is no metric
 * @param learningRate the learning rate used throughout the epoch
 * @param seconds wall-clock time of the epoch, validation included
 * @param best whether this epoch gave the best validation score so far (and was saved)
 */
public record EpochResult(int epoch, double trainLoss, double valLoss, String metricName, double valMetric,
        double learningRate, double seconds, boolean best) {

    private static final Gson GSON = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

    /**
     * Formats this result as one JSON object on one line, with keys {@code epoch}, {@code
     * train_loss}, {@code val_loss}, {@code metric}, {@code val_metric} (null when there is no
     * metric), {@code lr}, {@code seconds} (rounded to milliseconds), {@code best}.
     *
     * @return the JSON text, without line end
     */
    public String toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("epoch", epoch);
        add(o, "train_loss", trainLoss);
        add(o, "val_loss", valLoss);
        o.addProperty("metric", metricName);
        add(o, "val_metric", valMetric);
        add(o, "lr", learningRate);
        add(o, "seconds", Math.round(seconds * 1000) / 1000.0);
        o.addProperty("best", best);
        return GSON.toJson(o);
    }

    private static void add(JsonObject o, String key, double value) {
        if (Double.isFinite(value)) {
            o.addProperty(key, value);
        } else {
            o.add(key, JsonNull.INSTANCE);
        }
    }
}
