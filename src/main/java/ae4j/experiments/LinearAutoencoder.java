package ae4j.experiments;

import static ae4j.nn.Activation.IDENTITY;

import ae4j.data.Synthetic3d;
import ae4j.nn.Dense;
import ae4j.nn.Loss;
import ae4j.nn.Sequential;
import ae4j.train.Engine;
import ae4j.train.History;
import ae4j.train.Model;
import ae4j.train.Optimizer.Sgd;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The book's undercomplete linear autoencoder (3 → 2 → 3, MSE, SGD 1.5, 20 epochs) on its 3-D dataset: it learns
 * the plane PCA finds. Judged by the principal angle between the decoder's plane and PCA's, and by its MSE
 * against PCA's optimum.
 */
public final class LinearAutoencoder {
    public static final int EPOCHS = 20;
    public static final double LEARNING_RATE = 1.5;

    private LinearAutoencoder() {
    }

    /** The trained model, its codings of the data, and how close it came to PCA. */
    public record Result(Phase phase, Sequential encoder, double[][] data, INDArray codings, Map<String, Object> pca) {
    }

    public static Result run(Engine engine, TrainRun run) {
        double[][] data = Synthetic3d.generate(Synthetic3d.BOOK_SIZE, Synthetic3d.BOOK_SEED);
        INDArray xTrain = Nd4j.createFromArray(data).castTo(engine.dtype());

        Sequential encoder = Sequential.of(new Dense(2, IDENTITY));
        Sequential decoder = Sequential.of(new Dense(3, IDENTITY));
        Sequential autoencoder = Sequential.of(encoder, decoder);
        Model model = engine.compile(autoencoder, 3, Loss.MSE, new Sgd(run.learningRateOr(LEARNING_RATE)));
        History history = run.fit(model, "model", run.epochs(), xTrain, xTrain, null, null, Map.of("encoder_parts", 1));
        INDArray codings = model.predict(encoder, xTrain);

        return new Result(new Phase("model", "linear autoencoder 3-2-3", model, history), encoder, data, codings,
                comparePca(model, decoder, data, xTrain));
    }

    /** principal_angle_deg, mse (the model's, over the data) and pca_mse (PCA's optimum with 2 components). */
    static Map<String, Object> comparePca(Model model, Sequential decoder, double[][] data, INDArray x) {
        // The reconstructions lie on the plane spanned by the rows of the decoder's kernel W [2, 3].
        INDArray w = ((Dense) decoder.layers().get(0)).kernel().value();
        RealMatrix learned = new Array2DRowRealMatrix(w.transpose().toDoubleMatrix(), false);
        RealMatrix components = Pca.components(data);
        RealMatrix top2 = components.getSubMatrix(0, 2, 0, 1);
        Map<String, Object> pca = new LinkedHashMap<>();
        pca.put("principal_angle_deg", Pca.largestPrincipalAngleDegrees(learned, top2));
        pca.put("mse", model.evaluate(x, x).loss());
        pca.put("pca_mse", Pca.reconstructionMse(data, 2));
        return pca;
    }
}
