package ae4j.cli;

import ae4j.backend.ProcessMemory;
import ae4j.experiments.CodingActivity;
import ae4j.experiments.PcaComparison;
import ae4j.experiments.Phase;
import ae4j.experiments.TrainRun;
import ae4j.train.EpochLog;
import ae4j.train.RunSettings;
import java.util.List;
import java.util.Map;

/**
 * {@code history.json}, a stable schema other tools read: "model" (the recipe), "params", "seed", "backend",
 * "engine" (which step engine trained: native, nd4j or cuda), "threads" (the native engine's), "engine_description"
 * (what it ran on), "batch_size", "optimizer", "epochs" (one object per epoch, see {@link ae4j.train.History}),
 * "peak_rss_mib"; "pca" for the linear model; "codings" for the sparse recipes and the model they are compared with
 * (the coding layer on the validation images: "units", "images", "mean_activation", and the shares of activations
 * and of units' mean activations in each tenth of [0, 1]); "phases" when the recipe trains more than one model
 * (greedy, linear), each with its own "epochs". The top level describes the run's model.zip.
 */
final class HistoryJson {
    private HistoryJson() {
    }

    /** One model of the run. */
    record PhaseRecord(String name, String description, long params, int batchSize, Map<String, Object> optimizer,
                       List<EpochLog> epochs, PcaComparison pca) {
    }

    /** The whole file; what {@code curves} reads back is "model" and "epochs". */
    record File(String model, Long params, Long seed, String backend, String engine, Integer threads, String engineDescription,
                Integer batchSize, Map<String, Object> optimizer,
                List<EpochLog> epochs, PcaComparison pca, CodingActivity codings, List<PhaseRecord> phases, Long peakRssMib) {
    }

    /**
     * @param pca the linear runs' PCA comparisons, by phase name; empty for the other recipes
     * @param codings the coding layer's activity, or null
     */
    static File of(TrainRun run, Map<String, PcaComparison> pca, CodingActivity codings) {
        List<Phase> phases = run.phases();
        Phase main = phases.stream().filter(p -> p.file().equals("model")).findFirst().orElse(phases.get(phases.size() - 1));
        List<PhaseRecord> records = phases.size() < 2 ? null : phases.stream()
                .map(p -> new PhaseRecord(p.name(), p.description(), p.model().trainableParameterCount(), p.batchSize(),
                        p.model().optimizer().config(), p.history().epochs(), pca.get(p.name())))
                .toList();
        RunSettings s = run.settings();
        return new File(run.modelId(), main.model().trainableParameterCount(), s.seed(), s.backend(), s.engine(), s.threads(),
                main.model().steps().description(), main.batchSize(),
                main.model().optimizer().config(), main.history().epochs(), pca.get(main.name()), codings, records,
                ProcessMemory.peakResidentMib());
    }
}
