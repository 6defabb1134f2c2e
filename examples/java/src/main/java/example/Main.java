package example;

import ae4j.nn.Dense;
import ae4j.nn.Sequential;
import ae4j.spec.Activation;
import ae4j.spec.Loss;
import ae4j.spec.Optimizer;
import ae4j.train.Engine;
import ae4j.train.Model;
import ae4j.train.ModelFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A stacked autoencoder fitted, used and saved through ae4j's library API, on rows made here. */
public final class Main {
    public static void main(String[] args) throws Exception {
        Random random = new Random(7);
        float[][] rows = new float[512][16];
        for (float[] row : rows) {
            float level = random.nextFloat();
            for (int j = 0; j < row.length; j++) {
                row[j] = level * (j % 4) / 3f + 0.05f * random.nextFloat();
            }
        }
        INDArray x = Nd4j.createFromArray(rows);

        Engine engine = Engine.auto(42);
        Sequential encoder = Sequential.of(new Dense(8, Activation.SELU), new Dense(2, Activation.SELU));
        Sequential decoder = Sequential.of(new Dense(8, Activation.SELU), new Dense(16, Activation.SIGMOID));
        Model model = engine.compile(Sequential.of(encoder, decoder), 16, Loss.MSE, new Optimizer.Adam(1e-2));
        double loss = model.fit(x, x, 5, 32, null, null).last().loss();

        INDArray codings = model.predict(encoder, x);
        Path file = Files.createTempDirectory("ae4j-consumer").resolve("model.zip");
        ModelFile.save(model, file, ModelFile.Metadata.NONE);
        Model loaded = ModelFile.load(file, engine).model();
        boolean same = loaded.predict(x).equalsWithEps(model.predict(x), 1e-6);

        System.out.printf("engine %s, loss %.5f, codings %s, reloaded model predicts the same: %s%n", engine.kind().id(), loss,
                Arrays.toString(codings.shape()), same);
        if (!same || !Double.isFinite(loss)) {
            System.exit(1);
        }
    }
}
