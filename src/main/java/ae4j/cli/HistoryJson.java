package ae4j.cli;

import ae4j.backend.BackendInfo;
import ae4j.backend.ProcessMemory;
import ae4j.experiments.Phase;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code history.json}, a stable schema other tools read: "model", "params", "seed", "backend", "engine",
 * "batch_size", "epochs" (one object per epoch: "epoch", "loss", "val_loss", "seconds", "val_seconds" and the
 * metrics, e.g. "rounded_accuracy"/"val_rounded_accuracy"), "peak_rss_mib"; "pca" for the linear model; "phases"
 * for greedy (each with its own "epochs"), whose top-level "epochs" are the final stacked model's.
 */
final class HistoryJson {
    private HistoryJson() {
    }

    static Map<String, Object> of(String model, long seed, int batchSize, List<Phase> phases, Map<String, Object> extra) {
        Phase last = phases.get(phases.size() - 1);
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("model", model);
        h.put("params", last.model().trainableParameterCount());
        h.put("seed", seed);
        h.put("backend", BackendInfo.backendName());
        h.put("engine", last.model().steps().description());
        h.put("batch_size", batchSize);
        h.put("optimizer", last.model().optimizer().config());
        h.put("epochs", last.history().toJson());
        h.putAll(extra);
        if (phases.size() > 1) {
            List<Map<String, Object>> list = new ArrayList<>();
            for (Phase p : phases) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", p.name());
                m.put("description", p.description());
                m.put("params", p.model().parameterCount());
                m.put("optimizer", p.model().optimizer().config());
                m.put("epochs", p.history().toJson());
                list.add(m);
            }
            h.put("phases", list);
        }
        h.put("peak_rss_mib", ProcessMemory.peakResidentMib());
        return h;
    }

    static void write(Map<String, Object> history, Path file) throws IOException {
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".history", ".part");
        try {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(tmp.toFile(), history);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
