package ae4j.cli;

import ae4j.UserInputException;
import ae4j.data.FashionMnist;
import ae4j.experiments.Pretraining;
import ae4j.experiments.StackedAutoencoder;
import ae4j.experiments.TrainRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ae4j pretrain}: does the autoencoder's encoder help a classifier that has few labels? */
@Command(name = "pretrain", mixinStandardHelpOptions = true,
        description = {"Unsupervised pretraining with few labels (figure 17-6).",
                "A classifier = the stacked autoencoder's encoder + Dense(10, softmax), trained on the first N labelled images",
                "(a) from random weights, (b) with the pretrained encoder frozen, (c) then fine-tuned. Reports test accuracy on the",
                "10,000 test images as mean ± standard deviation over the seeds."})
final class PretrainCommand implements Callable<Integer> {
    @Option(names = "--labels", paramLabel = "N", defaultValue = "500", description = "Labelled training images. Default: ${DEFAULT-VALUE}.")
    int labels;

    @Option(names = "--seeds", split = ",", paramLabel = "S,..", defaultValue = "1,2,3", description = "Seeds. Default: ${DEFAULT-VALUE}.")
    long[] seeds;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "" + Pretraining.EPOCHS,
            description = "Epochs of (a) and of (b); (c) fine-tunes as many more. Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--lr", paramLabel = "RATE", defaultValue = "" + Pretraining.LEARNING_RATE,
            description = "Nadam learning rate of (a) and (b); (c) fine-tunes at a tenth of it. Default: ${DEFAULT-VALUE}.")
    double learningRate;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "runs/pretrain", description = "Output folder. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Mixin
    ModelOptions model;

    @Mixin
    EngineOptions engine;

    @Mixin
    DataOptions data;

    @Override
    public Integer call() throws Exception {
        FashionMnist mnist = data.load();
        Flags.between("--labels", labels, 10, mnist.train().size());
        Flags.positive("--epochs", epochs);
        Flags.positive("--lr", learningRate);
        if (seeds.length == 0) {
            throw new UserInputException("--seeds must name at least one seed");
        }
        OutputFolder.requireWritable(out, "--out");
        ensureAutoencoder(model.file, engine, mnist);
        List<Pretraining.Variant> variants = Pretraining.run(engine::engine, model.file, mnist, labels, seeds, epochs, learningRate);
        print(variants, labels, seeds.length);
        Map<String, Object> json = toJson(variants, labels, seeds, epochs, model.file);
        Artifacts.json(json, out.resolve("pretraining.json"));
        System.out.println("Wrote " + out.resolve("pretraining.json"));
        return Main.EXIT_OK;
    }

    /** Trains the stacked autoencoder first (book settings) when the model file does not exist yet. */
    static void ensureAutoencoder(Path file, EngineOptions engine, FashionMnist mnist) {
        if (Files.exists(file)) {
            return;
        }
        System.out.println("No autoencoder at " + file + ": training the stacked autoencoder first (book settings).");
        OutputFolder.requireWritable(file.toAbsolutePath().getParent(), "--model");
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("recipe", "stacked");
        meta.put("seed", engine.seed);
        StackedAutoencoder.run(engine.engine(), mnist, new TrainRun(StackedAutoencoder.EPOCHS, 32, Double.NaN,
                file.toAbsolutePath().getParent(), false, meta));
    }

    static void print(List<Pretraining.Variant> variants, int labels, int seeds) {
        System.out.printf("%nTest accuracy (10,000 test images) with %d labelled training images, mean ± std over %d seed(s):%n", labels, seeds);
        for (Pretraining.Variant v : variants) {
            System.out.printf("  %-72s %.4f ± %.4f%n", v.description(), v.mean(), v.std());
        }
    }

    static Map<String, Object> toJson(List<Pretraining.Variant> variants, int labels, long[] seeds, int epochs, Path autoencoder) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("labels", labels);
        json.put("seeds", seeds);
        json.put("epochs", epochs);
        json.put("autoencoder", autoencoder.toString());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Pretraining.Variant v : variants) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("variant", v.name());
            row.put("description", v.description());
            row.put("test_accuracies", v.testAccuracies());
            row.put("mean", v.mean());
            row.put("std", v.std());
            rows.add(row);
        }
        json.put("variants", rows);
        return json;
    }
}
