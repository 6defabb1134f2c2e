package ae4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ae4j.data.FloatMatrix;
import ae4j.spec.Loss;
import ae4j.spec.Optimizer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** fit and predict on rows of a FloatMatrix (a reader's, or Java arrays) do what they do on the same rows as ND4J arrays. */
class FloatMatrixFitTest {
    @Test
    void fitAndPredictOnJavaArraysMatchTheNd4jArrays() {
        INDArray x = TinyModels.images(200, 4);
        INDArray valid = TinyModels.images(40, 5);
        Model fromArrays = model(DataType.FLOAT);
        List<EpochLog> expected = fromArrays.fit(x, x, 3, 32, valid, valid).epochs();
        Model fromRows = model(DataType.FLOAT);
        List<EpochLog> got = fromRows.fit(FloatMatrix.of(x.toFloatMatrix()), 3, 32, FloatMatrix.of(valid.toFloatMatrix())).epochs();
        for (int e = 0; e < expected.size(); e++) {
            assertEquals(expected.get(e).get("loss"), got.get(e).get("loss"), 0);
            assertEquals(expected.get(e).get("val_loss"), got.get(e).get("val_loss"), 0);
        }
        FloatMatrix codings = fromRows.predict(encoder(fromRows), FloatMatrix.of(valid.toFloatMatrix()));
        assertEquals(valid.rows(), codings.rows());
        assertArrayEquals(fromArrays.predict(encoder(fromArrays), valid).data().asFloat(), codings.toArray(), 0);
    }

    @Test
    void aFloat64ModelTakesFloat32Rows() {
        INDArray x = TinyModels.images(64, 6);
        Model model = model(DataType.DOUBLE);
        model.fit(FloatMatrix.of(x.toFloatMatrix()), 1, 32, null);
        assertEquals(1, model.history().epochs().size());
        assertEquals(TinyModels.PIXELS, model.predict(model.network(), FloatMatrix.of(x.toFloatMatrix())).cols());
    }

    private static ae4j.nn.Sequential encoder(Model model) {
        return (ae4j.nn.Sequential) model.network().parts().get(0);
    }

    private static Model model(DataType dtype) {
        return TestEngines.create("nd4j", dtype, 42).compile(TinyModels.stacked(), TinyModels.PIXELS, Loss.BINARY_CROSSENTROPY,
                new Optimizer.Sgd(1.0));
    }
}
