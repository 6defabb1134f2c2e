package ae4j.experiments;

import ae4j.train.History;
import ae4j.train.Model;

/** One trained model of a recipe: its name ("model", "phase1", ...), a description, the model and its History. */
public record Phase(String name, String description, Model model, History history) {
}
