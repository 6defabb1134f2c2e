package ae4j.cli;

import ae4j.AtomicFile;
import ae4j.UserInputException;
import ae4j.data.HeapFloatMatrix;
import ae4j.data.Npy;
import ae4j.experiments.AnomalyScores;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ae4j encode}: the codings of a trained model for each row of a data file. */
@Command(name = "encode", mixinStandardHelpOptions = true,
        description = {"Write the codings of a model trained by ae4j train, one row per input row (variational: the codings' mean).",
                "The model's saved scaler is applied to the raw rows first. The rows are read into memory: a file larger than memory "
                        + "is not streamed yet."})
final class EncodeCommand implements Callable<Integer> {
    @Mixin
    ModelInput input;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "The codings: a .npy or .csv file.")
    Path out;

    @Mixin
    EngineOptions engine;

    @Override
    public Integer call() throws Exception {
        String name = out.getFileName().toString();
        if (!name.endsWith(".npy") && !name.endsWith(".csv")) {
            throw new UserInputException("--out " + out + ": name a .npy or .csv file");
        }
        ModelInput.Applied d = input.load(engine);
        OutputFolder.requireWritableFile(out, "--out");
        engine.announceEngine();
        AnomalyScores.Codings codings = AnomalyScores.encode(d.loaded().model(), d.autoencoder(), d.scaled());
        int rows = codings.rows();
        int width = codings.width();
        float[] values = codings.values();
        if (name.endsWith(".npy")) {
            Npy.write(out, new HeapFloatMatrix("codings", values, rows, new int[]{width}, null));
        } else {
            AtomicFile.write(out, tmp -> {
                try (BufferedWriter w = Files.newBufferedWriter(tmp)) {
                    for (int j = 0; j < width; j++) {
                        w.write((j == 0 ? "" : ",") + "coding_" + j);
                    }
                    w.write('\n');
                    for (int r = 0; r < rows; r++) {
                        for (int j = 0; j < width; j++) {
                            w.write((j == 0 ? "" : ",") + values[r * width + j]);
                        }
                        w.write('\n');
                    }
                }
            });
        }
        System.out.printf("Wrote %s: %,d rows of %d codings%n", out, rows, width);
        return Main.EXIT_OK;
    }
}
