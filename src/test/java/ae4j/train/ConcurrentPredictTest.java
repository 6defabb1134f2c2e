package ae4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ae4j.spec.Loss;
import ae4j.spec.Optimizer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** One model serves predictions to several threads at once, each getting what a single thread gets (Model's lock). */
class ConcurrentPredictTest {
    @ParameterizedTest
    @MethodSource("ae4j.train.TestEngines#names")
    void threadsPredictingAtOnceGetTheSingleThreadedOutputs(String engineName) throws Exception {
        Model model = TestEngines.create(engineName, DataType.FLOAT, 42).compile(TinyModels.stacked(), TinyModels.PIXELS,
                Loss.BINARY_CROSSENTROPY, new Optimizer.Sgd(1.0));
        INDArray x = TinyModels.images(300, 1);
        model.fit(x, x, 1, 32, null, null);
        List<INDArray> inputs = new ArrayList<>();
        List<float[]> expected = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            INDArray rows = TinyModels.images(100 + 37 * t, 10 + t);
            inputs.add(rows);
            expected.add(model.predict(rows).data().asFloat());
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                running.add(pool.submit(() -> {
                    for (int repeat = 0; repeat < 25; repeat++) {
                        assertArrayEquals(expected.get(thread), model.predict(inputs.get(thread)).data().asFloat(), "thread " + thread);
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }
}
