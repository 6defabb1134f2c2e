package ae4j.experiments;

import static ae4j.spec.Activation.SELU;
import static ae4j.spec.Activation.SOFTMAX;
import static ae4j.spec.Loss.CATEGORICAL_CROSSENTROPY;
import static ae4j.spec.Metric.ACCURACY;

import ae4j.Progress;
import ae4j.data.FashionMnist;
import ae4j.nn.Dense;
import ae4j.nn.Sequential;
import ae4j.spec.Optimizer.Nadam;
import ae4j.train.Engine;
import ae4j.train.Model;
import ae4j.train.ModelFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The book's unsupervised pretraining (figure 17-6): a classifier made of the stacked autoencoder's encoder and a
 * Dense(10, softmax) head, trained on only the first N labelled training images, in three ways:
 * (a) the same network from random weights, (b) the pretrained encoder frozen (only the head learns), (c) as (b),
 * then the encoder unfrozen and the whole network fine-tuned at a tenth of the learning rate for as many epochs
 * again. Nadam throughout; each is scored on the test set (10,000 images in the full dataset), for several seeds.
 */
public final class Pretraining {
    public static final int EPOCHS = 100;
    public static final double LEARNING_RATE = 3e-3;
    /** A classifier of ten classes needs at least as many labelled images. */
    public static final int MIN_LABELS = 10;

    private Pretraining() {
    }

    public record Variant(String name, String description, List<Double> testAccuracies) {
        public double mean() {
            return testAccuracies.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        }

        /** Sample standard deviation over the seeds. */
        public double std() {
            double m = mean();
            double ss = testAccuracies.stream().mapToDouble(a -> (a - m) * (a - m)).sum();
            return testAccuracies.size() > 1 ? Math.sqrt(ss / (testAccuracies.size() - 1)) : 0;
        }
    }

    /** @param engines an engine per seed; @param autoencoderFile a stacked autoencoder saved by ae4j train */
    public static List<Variant> run(LongFunction<Engine> engines, Path autoencoderFile, FashionMnist data, int labels,
                                    long[] seeds, int epochs, double learningRate) {
        INDArray xTrain = data.train().images().get(NDArrayIndex.interval(0, labels), NDArrayIndex.all());
        INDArray yTrain = data.train().oneHot(labels);
        INDArray xTest = data.test().images();
        INDArray yTest = data.test().oneHot(data.test().size());
        Map<String, List<Double>> scores = new LinkedHashMap<>();
        for (String v : List.of("random", "frozen", "fine_tuned")) {
            scores.put(v, new ArrayList<>());
        }
        try (Progress bar = Progress.start("pretraining", 3L * seeds.length)) {
            for (long seed : seeds) {
                runSeed(engines.apply(seed).verbose(false), autoencoderFile, xTrain, yTrain, xTest, yTest, epochs, learningRate, scores, bar);
            }
        }
        return List.of(
                new Variant("random", "(a) 784-100-30-10 from random weights, " + epochs + " epochs", scores.get("random")),
                new Variant("frozen", "(b) pretrained encoder frozen + softmax head, " + epochs + " epochs", scores.get("frozen")),
                new Variant("fine_tuned", "(c) (b), then all layers fine-tuned " + epochs + " more epochs at lr/10", scores.get("fine_tuned")));
    }

    private static void runSeed(Engine engine, Path autoencoderFile, INDArray xTrain, INDArray yTrain, INDArray xTest, INDArray yTest,
                                int epochs, double learningRate, Map<String, List<Double>> scores, Progress bar) {
        Sequential scratch = Sequential.of(new Dense(100, SELU), new Dense(30, SELU), new Dense(10, SOFTMAX));
        Model random = engine.compile(scratch, 784, CATEGORICAL_CROSSENTROPY, new Nadam(learningRate), ACCURACY);
        random.fit(xTrain, yTrain, epochs, 32, null, null);
        scores.get("random").add(random.evaluate(xTest, yTest).metric(ACCURACY));
        bar.stepBy(1);

        Autoencoder pretrained = Autoencoder.of(ModelFile.load(autoencoderFile, engine));
        pretrained.encoder().setTrainable(false);
        Sequential classifier = Sequential.of(pretrained.encoder(), new Dense(10, SOFTMAX));
        Model frozen = engine.compile(classifier, 784, CATEGORICAL_CROSSENTROPY, new Nadam(learningRate), ACCURACY);
        frozen.fit(xTrain, yTrain, epochs, 32, null, null);
        scores.get("frozen").add(frozen.evaluate(xTest, yTest).metric(ACCURACY));
        bar.stepBy(1);

        pretrained.encoder().setTrainable(true);
        Model fineTuned = engine.compile(classifier, 784, CATEGORICAL_CROSSENTROPY, new Nadam(learningRate / 10), ACCURACY);
        fineTuned.fit(xTrain, yTrain, epochs, 32, null, null);
        scores.get("fine_tuned").add(fineTuned.evaluate(xTest, yTest).metric(ACCURACY));
        bar.stepBy(1);
    }
}
