package ae4j.experiments;

import ae4j.train.Callback;
import ae4j.train.History;
import ae4j.train.Model;
import ae4j.train.ModelCheckpoint;
import ae4j.train.ModelFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How a recipe's models are trained in one run: epochs, batch size, an optional learning-rate override, and the
 * output folder. Every model a recipe fits ("model", or the greedy phases) is checkpointed after each epoch to
 * {@code out/<name>.zip}; with {@code resume}, a model whose file exists continues from it.
 *
 * @param learningRate NaN keeps each recipe's book value
 * @param meta         written into every model file ("recipe", "seed", "backend", ...)
 */
public record TrainRun(int epochs, int batchSize, double learningRate, Path out, boolean resume, Map<String, Object> meta) {

    public double learningRateOr(double bookValue) {
        return Double.isNaN(learningRate) ? bookValue : learningRate;
    }

    public Path modelFile(String name) {
        return out.resolve(name + ".zip");
    }

    /** Saves a model that was assembled rather than fitted (greedy without fine-tuning) as {@code out/<name>.zip}. */
    public void save(Model model, String name, Map<String, Object> extraMeta) throws IOException {
        Map<String, Object> fileMeta = new LinkedHashMap<>(meta);
        fileMeta.put("name", name);
        fileMeta.putAll(extraMeta);
        ModelFile.save(model, modelFile(name), fileMeta);
    }

    /** Fits {@code model} to {@code epochs} epochs, resuming from its checkpoint when asked and present. */
    public History fit(Model model, String name, int epochs, INDArray x, INDArray y, INDArray xValid, INDArray yValid,
                       Map<String, Object> extraMeta) {
        Path file = modelFile(name);
        if (resume && Files.exists(file)) {
            ModelFile.restoreInto(model, file);
            if (model.engine().verbose()) {
                System.out.printf("Resuming %s from %s after epoch %d%n", name, file, model.history().epochs().size());
            }
        }
        Map<String, Object> fileMeta = new LinkedHashMap<>(meta);
        fileMeta.put("name", name);
        fileMeta.putAll(extraMeta);
        List<Callback> callbacks = new ArrayList<>(List.of(new ModelCheckpoint(file, fileMeta)));
        return model.fit(x, y, epochs, batchSize, xValid, yValid, callbacks.toArray(Callback[]::new));
    }
}
