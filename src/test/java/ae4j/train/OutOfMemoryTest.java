package ae4j.train;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae4j.experiments.StackedAutoencoder;
import ae4j.spec.Loss;
import ae4j.spec.Optimizer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** A batch whose activations do not fit in memory is a clear error naming the batch size and the memory asked for. */
class OutOfMemoryTest {
    @Test
    void oversizedBatchIsAClearError() {
        Model model = Engine.nd4j(1).verbose(false).compile(StackedAutoencoder.build().network(), 784, Loss.BINARY_CROSSENTROPY,
                new Optimizer.Sgd(1.5));
        OutOfMemoryException e = assertThrows(OutOfMemoryException.class,
                () -> StepBuffers.allocate(model.layers(), 784, 50_000_000, true, DataType.FLOAT));
        assertTrue(e.getMessage().contains("batch size 50000000") && e.getMessage().contains("MiB asked") && e.getMessage().contains("--batch-size"),
                e.getMessage());
    }
}
