package example;

import ae4j.data.DataReader;
import ae4j.data.FloatMatrix;
import ae4j.data.ReadOptions;
import ae4j.data.Scaler;
import ae4j.experiments.AnomalyScores;
import ae4j.experiments.Autoencoder;
import ae4j.nn.Dense;
import ae4j.nn.Sequential;
import ae4j.spec.Activation;
import ae4j.spec.Loss;
import ae4j.spec.Optimizer;
import ae4j.train.Engine;
import ae4j.train.Model;
import ae4j.train.ModelFile;
import java.nio.file.Path;

/** An anomaly detector for the rows of a CSV: built as the book's Keras code reads, fitted, used, saved and loaded. */
public final class Main {
    public static void main(String[] args) throws Exception {
        FloatMatrix raw = DataReader.read(Path.of(args[0]), ReadOptions.DEFAULTS.withLabelColumn("diagnosis"));
        Scaler scaler = Scaler.fit(Scaler.Kind.STANDARD, raw);
        FloatMatrix rows = scaler.applyTo(raw);

        Sequential encoder = Sequential.of(new Dense(16, Activation.SELU), new Dense(4, Activation.SELU));
        Sequential decoder = Sequential.of(new Dense(16, Activation.SELU), new Dense(rows.cols(), Activation.IDENTITY));
        Engine engine = Engine.auto(42);
        Model model = engine.compile(Sequential.of(encoder, decoder), rows.cols(), Loss.MSE, new Optimizer.Adam(1e-3));
        model.fit(rows, 200, 32, null);

        FloatMatrix codings = model.predict(encoder, rows);
        double[] errors = AnomalyScores.reconstructionErrors(model, new Autoencoder(encoder, decoder), rows);
        Path file = Path.of(args[1]);
        ModelFile.save(model, file, ModelFile.Metadata.NONE.withData(scaler, raw.sampleShape()));

        ModelFile.Loaded loaded = ModelFile.load(file, engine);
        FloatMatrix again = loaded.meta().scaler().applyTo(raw);
        double[] reloaded = AnomalyScores.reconstructionErrors(loaded.model(), Autoencoder.of(loaded), again);
        System.out.printf("engine %s, loss %.4f, %d rows of %d codings, row 0's error %.6f, reloaded %.6f%n", engine.kind().id(),
                model.history().last().loss(), codings.rows(), codings.cols(), errors[0], reloaded[0]);
    }
}
