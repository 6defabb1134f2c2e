package ae4j.cli;

import ae4j.UserInputException;
import ae4j.backend.BackendInfo;
import ae4j.backend.RuntimeProfile;
import ae4j.data.FashionMnist;
import ae4j.experiments.Pretraining;
import ae4j.experiments.Recipe;
import ae4j.experiments.TrainRun;
import ae4j.train.Engine;
import ae4j.train.RunSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ae4j pretrain}: does the autoencoder's encoder help a classifier that has few labels? */
@Command(name = "pretrain", mixinStandardHelpOptions = true,
        description = {"Unsupervised pretraining with few labels (figure 17-6).",
                "A classifier, the stacked autoencoder's encoder + Dense(10, softmax), is trained on the first N labelled images "
                        + "(a) from random weights, (b) with the pretrained encoder frozen, (c) then fine-tuned. Reports test accuracy "
                        + "on the test set as mean ± standard deviation over the seeds.",
                "Without --model, trains the stacked autoencoder into runs/stacked/ first if it is not there."})
final class PretrainCommand implements Callable<Integer> {
    @Option(names = "--labels", paramLabel = "N", defaultValue = "500", description = "Labelled training images. Default: ${DEFAULT-VALUE}.")
    int labels;

    @Option(names = "--seeds", split = ",", paramLabel = "S", defaultValue = "1,2,3", description = "Seeds. Default: ${DEFAULT-VALUE}.")
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
        Flags.positive("--epochs", epochs);
        Flags.positive("--lr", learningRate);
        if (seeds.length == 0) {
            throw new UserInputException("--seeds must name at least one seed");
        }
        // A file the user named must exist (and be an image autoencoder) before any work; only the default one is
        // trained when missing, into its own folder, so nothing is written under a name the user did not give.
        boolean trainFirst = !model.given() && !model.exists();
        if (!trainFirst) {
            model.loadImageAutoencoder(Engine.nd4j(0), "pretrain");
        }
        Engine first = engine.engine();
        OutputFolder.requireWritable(out, "--out");
        if (trainFirst) {
            OutputFolder.requireWritable(model.folder(), "--model");
        }
        FashionMnist mnist = data.load();
        Flags.between("--labels", labels, Pretraining.MIN_LABELS, mnist.train().size());
        engine.announceEngine();
        if (trainFirst) {
            System.out.println("No autoencoder at " + model.path() + ": training the stacked autoencoder first (book settings).");
            int batchSize = RuntimeProfile.current().getInt("train.batchSize", 32);
            Recipe.STACKED.train(first, mnist, new TrainRun(Recipe.STACKED, Recipe.STACKED.epochs(), RunSettings.of(engine.seed,
                    batchSize, Double.NaN, first.kind().id(), EngineOptions.threadsOf(first), BackendInfo.backendName()), model.folder(), false, null));
        }
        List<Pretraining.Variant> variants = Pretraining.run(engine::engine, model.path(), mnist, labels, seeds, epochs, learningRate);
        print(variants, labels, seeds.length, mnist.test().size());
        Json.write(toJson(variants, labels, seeds, epochs, mnist.test().size(), model.path()), out.resolve("pretraining.json"));
        System.out.println("Wrote " + out.resolve("pretraining.json"));
        return Main.EXIT_OK;
    }

    static void print(List<Pretraining.Variant> variants, int labels, int seeds, int testImages) {
        System.out.printf("%nTest accuracy (%,d test images) with %,d labelled training images, mean ± std over %d seed(s):%n",
                testImages, labels, seeds);
        for (Pretraining.Variant v : variants) {
            System.out.printf("  %-72s %.4f ± %.4f%n", v.description(), v.mean(), v.std());
        }
    }

    /** pretraining.json: what was asked, and each variant's test accuracies over the seeds with their mean and standard deviation. */
    record PretrainingJson(int labels, long[] seeds, int epochs, int testImages, String autoencoder, List<VariantJson> variants) {
        record VariantJson(String variant, String description, List<Double> testAccuracies, double mean, double std) {
        }
    }

    static PretrainingJson toJson(List<Pretraining.Variant> variants, int labels, long[] seeds, int epochs, int testImages, Path autoencoder) {
        return new PretrainingJson(labels, seeds, epochs, testImages, autoencoder.toString(), variants.stream()
                .map(v -> new PretrainingJson.VariantJson(v.name(), v.description(), v.testAccuracies(), v.mean(), v.std())).toList());
    }
}
