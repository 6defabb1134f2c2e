package ae4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae4j.spec.LearningRateSchedule;
import ae4j.spec.Loss;
import ae4j.spec.Metric;
import ae4j.spec.Optimizer;
import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.abstracts.Nd4jWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What a training step allocates once warm: the ND4J-op engine puts every per-step temporary in the reused
 * workspace, which stops growing and never spills; the native engine, on any number of threads, makes no native
 * allocation and (nearly) no Java garbage, also when its rate decays step by step or is lowered between steps.
 */
class WorkspaceTest {
    static Model tinyModel(String engine) {
        return tinyModel(engine, new Optimizer.Sgd(1.5));
    }

    static Model tinyModel(String engine, Optimizer optimizer) {
        return TestEngines.create(engine, DataType.FLOAT, 5).compile(TinyModels.stacked(), TinyModels.PIXELS, Loss.BINARY_CROSSENTROPY,
                optimizer, Metric.ROUNDED_ACCURACY);
    }

    @Test
    void nd4jEngineWorkspaceStopsGrowingAfterWarmUpAndNothingSpills() {
        Model model = tinyModel("nd4j");
        INDArray x = TinyModels.images(640, 1);
        long sizeAfterWarmUp = -1;
        long stepBytes = -1;
        try (TrainingLoop driver = model.stepLoop(x, x, 32)) {
            for (int step = 0; step < 300; step++) {
                driver.step();
                Nd4jWorkspace ws = (Nd4jWorkspace) Nd4j.getWorkspaceManager().getWorkspaceForCurrentThread(Engine.WORKSPACE_ID);
                if (step == 10) {
                    sizeAfterWarmUp = ws.getCurrentSize();
                    stepBytes = ws.getLastCycleAllocations();
                    assertTrue(stepBytes > 0, "ND4J's temporaries were placed in the workspace");
                }
                if (step > 10) {
                    assertEquals(sizeAfterWarmUp, ws.getCurrentSize(), "step " + step + ": the workspace grew");
                    assertEquals(0, ws.getSpilledSize(), "step " + step + ": allocations spilled out of the workspace");
                    assertEquals(0, ws.getPinnedSize(), "step " + step + ": pinned allocations");
                    assertEquals(stepBytes, ws.getLastCycleAllocations(), "step " + step + ": every step of one shape puts the same temporaries there");
                }
            }
        }
        assertTrue(model.evaluate(x, x).loss() < 0.69, "and the model learned something");
    }

    /**
     * Batches of 32 rows go split by rows on several threads, batches of 8 split by units (native/cpu/units.h).
     * Decaying: Adam whose rate decays step by step, lowered too (as ReduceLROnPlateau does) before the warm steps.
     */
    @ParameterizedTest
    @CsvSource({"native, 32, false", "native-2, 32, false", "native-2, 8, false", "native-3, 8, false", "native, 32, true",
            "native-2, 32, true", "native-2, 8, true"})
    void nativeEngineStepsAllocateNothing(String engine, int batch, boolean decaying) {
        Model model = decaying ? tinyModel(engine, new Optimizer.Adam(0.01).withSchedule(new LearningRateSchedule.ExponentialDecay(0.5, 100,
                false))) : tinyModel(engine);
        INDArray x = TinyModels.images(640, 1);
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        try (TrainingLoop driver = model.stepLoop(x, x, batch)) {
            for (int step = 0; step < 50; step++) {
                driver.step();
            }
            if (decaying) {
                model.setLearningRate(0.005);
            }
            long nativeBefore = model.steps().allocations();
            long heapBefore = threads.getThreadAllocatedBytes(thread);
            int steps = 2000;
            for (int step = 0; step < steps; step++) {
                driver.step();
            }
            long heapPerStep = (threads.getThreadAllocatedBytes(thread) - heapBefore) / steps;
            assertEquals(nativeBefore, model.steps().allocations(), "native allocations during warm steps");
            assertTrue(heapPerStep < 64, heapPerStep + " bytes of Java heap per step");
        }
        assertTrue(model.evaluate(x, x).loss() < 0.69, "and the model learned something");
    }
}
