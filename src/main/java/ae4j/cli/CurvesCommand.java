package ae4j.cli;

import ae4j.UserInputException;
import ae4j.train.History;
import java.io.IOException;
import java.nio.file.Path;
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
    public Integer call() throws IOException {
        HistoryJson.File json = Json.read(historyFile, HistoryJson.File.class, "a history.json of ae4j");
        if (json.epochs() == null || json.epochs().isEmpty()) {
            throw new UserInputException(historyFile + ": no \"epochs\" in this file (not a history.json of ae4j?)");
        }
        History history;
        try {
            history = History.of(json.epochs());
        } catch (IllegalArgumentException e) {
            throw new UserInputException(historyFile + ": not a history.json of ae4j (" + e.getMessage() + ")");
        }
        Path file = out != null ? out : historyFile.toAbsolutePath().getParent().resolve("learning_curves.png");
        OutputFolder.requireWritableFile(file, "--out");
        Artifacts.learningCurves(json.model() != null ? json.model() : "model", history, file);
        System.out.println("Wrote " + file);
        return Main.EXIT_OK;
    }
}
