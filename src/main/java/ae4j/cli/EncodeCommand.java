package ae4j.cli;

import ae4j.AtomicFile;
import ae4j.UserInputException;
import ae4j.data.HeapFloatMatrix;
import ae4j.data.Npy;
import ae4j.experiments.AnomalyScores;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ae4j encode}: the codings of a trained model for each row of a data file. */
@Command(name = "encode", mixinStandardHelpOptions = true,
        description = {"Write the codings of a model trained by ae4j train, one row per input row (variational: the codings' mean).",
                "The model's saved scaler is applied to the raw rows first. Rows are read a batch at a time (a .npy is mapped, a CSV "
                        + "or TSV streamed), so a file larger than memory is encoded too: to .csv, each row's codings are written as "
                        + "they come; to .npy, whose header holds the row count, the codings are held in memory until the end."})
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
        long[] rows = {0};
        int[] width = {0};
        try (ModelInput.Blocks d = input.blocks(engine)) {
            OutputFolder.requireWritableFile(out, "--out");
            engine.announceEngine();
            if (name.endsWith(".npy")) {
                // a .npy's header holds the row count: the codings (far fewer values than the rows) are kept until the end
                List<float[]> blocks = new ArrayList<>();
                while (d.raw().hasNext()) {
                    AnomalyScores.Codings codings = AnomalyScores.encode(d.loaded().model(), d.autoencoder(), d.scaled(d.raw().next()));
                    blocks.add(codings.values());
                    rows[0] += codings.rows();
                    width[0] = codings.width();
                }
                Npy.write(out, HeapFloatMatrix.ofBlocks("codings", blocks, new int[]{width[0]}, null));
            } else {
                AtomicFile.write(out, tmp -> {
                    try (BufferedWriter w = Files.newBufferedWriter(tmp)) {
                        while (d.raw().hasNext()) {
                            AnomalyScores.Codings codings = AnomalyScores.encode(d.loaded().model(), d.autoencoder(), d.scaled(d.raw().next()));
                            if (rows[0] == 0) {
                                for (int j = 0; j < codings.width(); j++) {
                                    w.write((j == 0 ? "" : ",") + "coding_" + j);
                                }
                                w.write('\n');
                            }
                            write(w, codings);
                            rows[0] += codings.rows();
                            width[0] = codings.width();
                        }
                    }
                });
            }
        }
        System.out.printf("Wrote %s: %,d rows of %d codings%n", out, rows[0], width[0]);
        return Main.EXIT_OK;
    }

    private static void write(BufferedWriter w, AnomalyScores.Codings codings) throws IOException {
        float[] values = codings.values();
        int width = codings.width();
        for (int r = 0; r < codings.rows(); r++) {
            for (int j = 0; j < width; j++) {
                w.write((j == 0 ? "" : ",") + values[r * width + j]);
            }
            w.write('\n');
        }
    }
}
