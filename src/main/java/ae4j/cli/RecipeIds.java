package ae4j.cli;

import ae4j.UserInputException;
import ae4j.experiments.Recipe;
import java.util.Arrays;
import java.util.Iterator;
import picocli.CommandLine.ITypeConverter;

/** A recipe named on the command line: picocli's converter from its id, and the ids the help lists. */
final class RecipeIds implements ITypeConverter<Recipe>, Iterable<String> {
    @Override
    public Recipe convert(String id) {
        return Recipe.byId(id).orElseThrow(() -> new UserInputException("unknown model '" + id + "': choose one of " + String.join(", ", this)));
    }

    @Override
    public Iterator<String> iterator() {
        return Arrays.stream(Recipe.values()).map(Recipe::id).iterator();
    }
}
