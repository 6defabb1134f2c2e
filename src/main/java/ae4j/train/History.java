package ae4j.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keras's History: one {@link EpochLog} per epoch trained, carried across a resumed run. Each model's own History
 * is one of the callbacks {@link Model#fit} adds.
 */
public final class History implements Callback {
    private final List<EpochLog> epochs = new ArrayList<>();

    public void add(EpochLog log) {
        epochs.add(log);
    }

    @Override
    public void onEpochEnd(Model model, EpochLog log) {
        add(log);
    }

    public List<EpochLog> epochs() {
        return Collections.unmodifiableList(epochs);
    }

    public EpochLog last() {
        return epochs.get(epochs.size() - 1);
    }

    public boolean isEmpty() {
        return epochs.isEmpty();
    }

    /** The epochs as the history.json schema names them: epoch, loss, val_loss, seconds, val_seconds, metrics. */
    public List<Map<String, Object>> toJson() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (EpochLog e : epochs) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epoch", e.epoch());
            m.put("loss", e.loss());
            e.metrics().forEach(m::put);
            if (e.hasValidation()) {
                m.put("val_loss", e.valLoss());
                e.valMetrics().forEach((k, v) -> m.put("val_" + k, v));
            }
            m.put("seconds", e.seconds());
            m.put("val_seconds", e.valSeconds());
            out.add(m);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    public static History fromJson(List<Map<String, Object>> list) {
        History h = new History();
        for (Map<String, Object> m : list) {
            Map<String, Double> metrics = new LinkedHashMap<>();
            Map<String, Double> valMetrics = new LinkedHashMap<>();
            for (Map.Entry<String, Object> entry : m.entrySet()) {
                String k = entry.getKey();
                if (List.of("epoch", "loss", "val_loss", "seconds", "val_seconds").contains(k)) {
                    continue;
                }
                double v = ((Number) entry.getValue()).doubleValue();
                if (k.startsWith("val_")) {
                    valMetrics.put(k.substring(4), v);
                } else {
                    metrics.put(k, v);
                }
            }
            h.add(new EpochLog(((Number) m.get("epoch")).intValue(), num(m, "loss"), metrics,
                    m.containsKey("val_loss") ? num(m, "val_loss") : Double.NaN, valMetrics, num(m, "seconds"), num(m, "val_seconds")));
        }
        return h;
    }

    private static double num(Map<String, Object> m, String k) {
        return ((Number) m.get(k)).doubleValue();
    }
}
