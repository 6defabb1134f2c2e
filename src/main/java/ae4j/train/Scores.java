package ae4j.train;

import ae4j.spec.Metric;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A loss and its metrics (by id, in the model's order), each a mean over samples: evaluate's result and an epoch's running logs. */
public record Scores(double loss, Map<String, Double> metrics) {
    public Scores {
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    /** Loss and metric sums ([0] the loss, [1 + k] metric k) as means over {@code count} samples. */
    public static Scores ofSums(double[] sums, int count, List<Metric> metrics) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int k = 0; k < metrics.size(); k++) {
            m.put(metrics.get(k).id, sums[1 + k] / count);
        }
        return new Scores(sums[0] / count, m);
    }

    public double metric(Metric m) {
        Double v = metrics.get(m.id);
        if (v == null) {
            throw new IllegalArgumentException("the model does not compute " + m.id);
        }
        return v;
    }

    /** "loss: 0.3386 - rounded_accuracy: 0.8866", as Keras's progress bar shows it. */
    public String summary() {
        StringBuilder s = new StringBuilder(String.format("loss: %.4f", loss));
        metrics.forEach((k, v) -> s.append(String.format(" - %s: %.4f", k, v)));
        return s.toString();
    }
}
