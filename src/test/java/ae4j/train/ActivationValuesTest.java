package ae4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ae4j.nn.Dense;
import ae4j.nn.Sequential;
import ae4j.spec.Activation;
import ae4j.spec.Loss;
import ae4j.spec.Optimizer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An activation's values on every engine, in float32 (the native engine's vectorised exp) and float64, against
 * Keras's formula written out here: one Dense layer with W = I and b = 0 outputs act(x) itself.
 */
class ActivationValuesTest {
    /** Both sides of 0, tiny values (where e^x − 1 cancels), and the saturated tail. */
    static final double[] X = {-30, -12.5, -3, -1, -0.5, -1e-3, -1e-6, 0, 1e-6, 1e-3, 0.5, 1, 3, 12.5};

    static Stream<Arguments> enginesAndTypes() {
        return TestEngines.names().flatMap(e -> Stream.of(DataType.FLOAT, DataType.DOUBLE).map(t -> Arguments.of(e, t)));
    }

    /** Keras's elu with its default alpha 1: x for x > 0, else e^x − 1. */
    static double elu(double x) {
        return x > 0 ? x : Math.exp(x) - 1;
    }

    @ParameterizedTest
    @MethodSource("enginesAndTypes")
    void eluIsKerasElu(String engine, DataType type) {
        int n = X.length;
        Dense layer = new Dense(n, Activation.ELU);
        Model model = TestEngines.create(engine, type, 1).compile(Sequential.of(layer), n, Loss.MSE, new Optimizer.Sgd(0.1));
        layer.kernel().value().assign(Nd4j.eye(n));
        layer.bias().value().assign(0);
        model.setParams(model.params().dup());
        INDArray x = Nd4j.createFromArray(new double[][]{X}).castTo(type);
        double[] out = model.predict(x).toDoubleVector();
        double tolerance = type == DataType.FLOAT ? 1e-6 : 1e-12;
        for (int j = 0; j < n; j++) {
            double want = elu((type == DataType.FLOAT ? (float) X[j] : X[j]));
            assertEquals(want, out[j], tolerance * Math.max(1, Math.abs(want)), "elu(" + X[j] + ")");
        }
    }
}
