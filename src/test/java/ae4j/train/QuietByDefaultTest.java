package ae4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae4j.nn.Nd4jKernels;
import ae4j.spec.Loss;
import ae4j.spec.Optimizer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A library prints nothing unless asked: fit is silent on a new engine, and prints Keras's lines when made verbose. */
class QuietByDefaultTest {
    @Test
    void fitPrintsOnlyWhenAsked() {
        INDArray x = TinyModels.images(64, 1);
        assertEquals("", printed(new Engine(Engine.Kind.ND4J, 1, new Nd4jKernels(), DataType.FLOAT, 1, 0), x));
        String verbose = printed(new Engine(Engine.Kind.ND4J, 1, new Nd4jKernels(), DataType.FLOAT, 1, 0).verbose(true), x);
        assertTrue(verbose.contains("Epoch 2/2 - "), verbose);
    }

    private static String printed(Engine engine, INDArray x) {
        Model model = engine.compile(TinyModels.stacked(), TinyModels.PIXELS, Loss.BINARY_CROSSENTROPY, new Optimizer.Sgd(1.0));
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            model.fit(x, x, 2, 32, null, null);
        } finally {
            System.setOut(original);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
