package ae4j.experiments;

import ae4j.train.History;
import ae4j.train.Model;

/**
 * One model a recipe trains: its name ("model", "phase1", "converged", ...), a description, the model, the batch
 * size it trains with, and the file it is checkpointed to ({@code <file>.zip} in the run's folder).
 */
public record Phase(String name, String description, Model model, int batchSize, String file) {
    /** The model's History, which a resumed model carries on from its file. */
    public History history() {
        return model.history();
    }
}
