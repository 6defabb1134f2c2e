package ae4j.train;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.Map;

/**
 * One epoch as Keras's History records it: the training loss and metrics (means over the epoch's batches, as the
 * progress bar shows them), the validation loss and metrics (NaN without validation data), the wall time of
 * the training pass and of the validation pass, measured separately, and the learning rate the epoch trained at
 * where a callback logged it ("lr", as Keras's ReduceLROnPlateau adds it to the logs; NaN otherwise). In JSON, one
 * flat object ({@link History}).
 */
@JsonSerialize(using = History.RowSerializer.class)
@JsonDeserialize(using = History.RowDeserializer.class)
public record EpochLog(int epoch, double loss, Map<String, Double> metrics, double valLoss, Map<String, Double> valMetrics,
                       double seconds, double valSeconds, double learningRate) {

    /** An epoch whose logs have no learning rate. */
    public EpochLog(int epoch, double loss, Map<String, Double> metrics, double valLoss, Map<String, Double> valMetrics, double seconds,
                    double valSeconds) {
        this(epoch, loss, metrics, valLoss, valMetrics, seconds, valSeconds, Double.NaN);
    }

    public boolean hasValidation() {
        return !Double.isNaN(valLoss);
    }

    public boolean hasLearningRate() {
        return !Double.isNaN(learningRate);
    }

    /** This epoch with the learning rate logged. */
    public EpochLog withLearningRate(double lr) {
        return new EpochLog(epoch, loss, metrics, valLoss, valMetrics, seconds, valSeconds, lr);
    }

    /** "loss", "val_loss", "lr" (where logged), a metric's name or "val_" + a metric's name. */
    public double get(String key) {
        if (key.equals("loss")) {
            return loss;
        }
        if (key.equals("val_loss")) {
            return valLoss;
        }
        if (key.equals("lr") && hasLearningRate()) {
            return learningRate;
        }
        if (key.startsWith("val_") && valMetrics.containsKey(key.substring(4))) {
            return valMetrics.get(key.substring(4));
        }
        Double v = metrics.get(key);
        if (v == null) {
            throw new IllegalArgumentException("no quantity '" + key + "' in this History");
        }
        return v;
    }

    /** Keras's end-of-epoch line: "loss: 0.3386 - rounded_accuracy: 0.8866 - val_loss: ...". */
    public String summary() {
        StringBuilder s = new StringBuilder(String.format("loss: %.4f", loss));
        metrics.forEach((k, v) -> s.append(String.format(" - %s: %.4f", k, v)));
        if (hasValidation()) {
            s.append(String.format(" - val_loss: %.4f", valLoss));
            valMetrics.forEach((k, v) -> s.append(String.format(" - val_%s: %.4f", k, v)));
        }
        return s.toString();
    }
}
