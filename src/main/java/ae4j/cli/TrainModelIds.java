package ae4j.cli;

import ae4j.UserInputException;
import ae4j.experiments.Recipe;
import ae4j.experiments.TrainRun;
import java.util.Arrays;
import java.util.Iterator;
import java.util.stream.Stream;
import picocli.CommandLine.ITypeConverter;

/** The models {@code train} knows: picocli's converter checking a name, and the names the help lists (the recipes, then custom). */
final class TrainModelIds implements ITypeConverter<String>, Iterable<String> {
    @Override
    public String convert(String id) {
        if (id.equals(TrainRun.CUSTOM) || Recipe.byId(id).isPresent()) {
            return id;
        }
        throw new UserInputException("unknown model '" + id + "': choose one of " + String.join(", ", this));
    }

    @Override
    public Iterator<String> iterator() {
        return Stream.concat(Arrays.stream(Recipe.values()).map(Recipe::id), Stream.of(TrainRun.CUSTOM)).iterator();
    }
}
