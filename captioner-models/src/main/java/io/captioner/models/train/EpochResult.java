package io.captioner.models.train;

import java.util.Locale;

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

    /**
     * Formats this result as one JSON object on one line, with keys {@code epoch}, {@code
     * train_loss}, {@code val_loss}, {@code metric}, {@code val_metric} (null when there is no
     * metric), {@code lr}, {@code seconds}, {@code best}.
     *
     * @return the JSON text, without line end
     */
    public String toJson() {
        return String.format(Locale.ROOT,
                "{\"epoch\":%d,\"train_loss\":%s,\"val_loss\":%s,\"metric\":\"%s\",\"val_metric\":%s,"
                        + "\"lr\":%s,\"seconds\":%.3f,\"best\":%s}",
                epoch, number(trainLoss), number(valLoss), metricName.replace("\"", "'"),
                number(valMetric), number(learningRate), seconds, best);
    }

    private static String number(double d) {
        return Double.isFinite(d) ? Double.toString(d) : "null";
    }

    /** Encodes every field exactly, for checkpoints. */
    String encode() {
        return epoch + "," + trainLoss + "," + valLoss + "," + metricName.replace(",", ";") + "," + valMetric
                + "," + learningRate + "," + seconds + "," + best;
    }

    /** Decodes {@link #encode()}. */
    static EpochResult decode(String s) {
        String[] f = s.split(",", -1);
        if (f.length != 8) {
            throw new IllegalArgumentException("epoch record must have 8 fields, found " + f.length + ": " + s);
        }
        return new EpochResult(Integer.parseInt(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]), f[3],
                Double.parseDouble(f[4]), Double.parseDouble(f[5]), Double.parseDouble(f[6]),
                Boolean.parseBoolean(f[7]));
    }
}
