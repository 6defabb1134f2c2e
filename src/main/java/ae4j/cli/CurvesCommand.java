package ae4j.cli;

import ae4j.UserInputException;
import ae4j.train.History;
import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ae4j curves}: learning curves of any history.json as a PNG. */
@Command(name = "curves", mixinStandardHelpOptions = true,
        description = "Draw the learning curves (loss and validation loss per epoch, and each metric) of a history.json as a PNG.")
final class CurvesCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "HISTORY", description = "A history.json written by ae4j train or demo.")
    Path historyFile;

    @Option(names = "--out", paramLabel = "PNG", description = "Output file. Default: learning_curves.png beside the history.")
    Path out;

    @Override
    @SuppressWarnings("unchecked")
    public Integer call() throws IOException {
        Map<String, Object> json;
        try {
            json = Artifacts.JSON.readValue(historyFile.toFile(), new TypeReference<>() {
            });
        } catch (IOException e) {
            throw new UserInputException(historyFile + ": cannot read a history.json (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        if (!(json.get("epochs") instanceof List<?> epochs) || epochs.isEmpty()) {
            throw new UserInputException(historyFile + ": no \"epochs\" in this file (not a history.json of ae4j?)");
        }
        Path file = out != null ? out : historyFile.toAbsolutePath().getParent().resolve("learning_curves.png");
        OutputFolder.requireWritable(file.toAbsolutePath().getParent(), "--out");
        Artifacts.learningCurves(String.valueOf(json.getOrDefault("model", "model")), History.fromJson((List<Map<String, Object>>) epochs), file);
        System.out.println("Wrote " + file);
        return Main.EXIT_OK;
    }
}
