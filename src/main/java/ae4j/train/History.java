package ae4j.train;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keras's History: one {@link EpochLog} per epoch trained, carried across a resumed run. In JSON (history.json and
 * model files) each epoch is one flat object: "epoch", "loss", each metric, "val_loss" and "val_" + each metric
 * when there was validation data, "lr" where a callback logged the learning rate, "seconds" and "val_seconds".
 * Each model's own History is one of the callbacks {@link Model#fit} adds.
 */
public final class History implements Callback {
    private static final Set<String> FIXED_KEYS = Set.of("epoch", "loss", "val_loss", "lr", "seconds", "val_seconds");

    private final List<EpochLog> epochs = new ArrayList<>();

    public void add(EpochLog log) {
        epochs.add(log);
    }

    @Override
    public void onEpochEnd(TrainingLoop loop, EpochLog log) {
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

    /**
     * Reads the epochs from their JSON objects as parsed (an {@link EpochLog} is written as one); throws
     * {@link IllegalArgumentException} naming the epoch and the key when one is not what the schema says.
     */
    public static History fromJson(List<?> list) {
        if (list == null) {
            throw new IllegalArgumentException("no epochs");
        }
        History h = new History();
        for (int i = 0; i < list.size(); i++) {
            h.add(fromRow(list.get(i), "epochs[" + i + "]: "));
        }
        h.checkConsistent();
        return h;
    }

    /** A History of these epochs; throws {@link IllegalArgumentException} when they are not the epochs of one run. */
    public static History of(List<EpochLog> epochs) {
        History h = new History();
        epochs.forEach(h::add);
        h.checkConsistent();
        return h;
    }

    /**
     * Every epoch has the quantities of the first, and the epochs count up by one. The learning rate is not held to
     * this: a model fit again with a schedule logs it from then on.
     */
    private void checkConsistent() {
        for (int i = 1; i < epochs.size(); i++) {
            EpochLog first = epochs.get(0);
            EpochLog e = epochs.get(i);
            if (!e.metrics().keySet().equals(first.metrics().keySet()) || e.hasValidation() != first.hasValidation()
                    || !e.valMetrics().keySet().equals(first.valMetrics().keySet())) {
                throw new IllegalArgumentException("epochs[" + i + "] has other quantities than epochs[0]");
            }
            if (e.epoch() != epochs.get(i - 1).epoch() + 1) {
                throw new IllegalArgumentException("epochs[" + i + "] is epoch " + e.epoch() + ", after epoch " + epochs.get(i - 1).epoch());
            }
        }
    }

    static Map<String, Object> toRow(EpochLog e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", e.epoch());
        m.put("loss", e.loss());
        e.metrics().forEach(m::put);
        if (e.hasValidation()) {
            m.put("val_loss", e.valLoss());
            e.valMetrics().forEach((k, v) -> m.put("val_" + k, v));
        }
        if (e.hasLearningRate()) {
            m.put("lr", e.learningRate());
        }
        m.put("seconds", e.seconds());
        m.put("val_seconds", e.valSeconds());
        return m;
    }

    /** @param where what to call the row in a message, such as "epochs[3]: " */
    static EpochLog fromRow(Object row, String where) {
        if (!(row instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException(where + "not an object");
        }
        if (!(m.get("epoch") instanceof Number epoch) || epoch.doubleValue() != epoch.intValue() || epoch.intValue() < 1) {
            throw new IllegalArgumentException(where + "\"epoch\" is missing or not a whole number from 1");
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        Map<String, Double> valMetrics = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : m.entrySet()) {
            String k = String.valueOf(entry.getKey());
            if (FIXED_KEYS.contains(k)) {
                continue;
            }
            double v = number(m, k, where);
            if (k.startsWith("val_")) {
                valMetrics.put(k.substring(4), v);
            } else {
                metrics.put(k, v);
            }
        }
        double valLoss = m.containsKey("val_loss") ? number(m, "val_loss", where) : Double.NaN;
        if (Double.isNaN(valLoss) && !valMetrics.isEmpty()) {
            throw new IllegalArgumentException(where + "validation metrics without \"val_loss\"");
        }
        return new EpochLog(epoch.intValue(), number(m, "loss", where), metrics, valLoss, valMetrics,
                m.containsKey("seconds") ? number(m, "seconds", where) : Double.NaN,
                m.containsKey("val_seconds") ? number(m, "val_seconds", where) : Double.NaN,
                m.containsKey("lr") ? number(m, "lr", where) : Double.NaN);
    }

    private static double number(Map<?, ?> m, String key, String where) {
        if (!(m.get(key) instanceof Number n)) {
            throw new IllegalArgumentException(where + "\"" + key + "\" is " + (m.containsKey(key) ? "not a number" : "missing"));
        }
        return n.doubleValue();
    }

    /** An epoch as its flat JSON object. */
    static final class RowSerializer extends JsonSerializer<EpochLog> {
        @Override
        public void serialize(EpochLog value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            gen.writeObject(toRow(value));
        }
    }

    /** An epoch from its flat JSON object, checked key by key. */
    static final class RowDeserializer extends JsonDeserializer<EpochLog> {
        @Override
        public EpochLog deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            Object row = p.readValueAs(new TypeReference<Object>() {
            });
            try {
                return fromRow(row, "");
            } catch (IllegalArgumentException e) {
                throw JsonMappingException.from(p, e.getMessage());
            }
        }
    }
}
