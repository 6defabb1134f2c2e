package ae4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae4j.NativeKernelsBuilt;
import ae4j.nn.Loss;
import ae4j.nn.Metric;
import ae4j.nn.NativeKernels;
import ae4j.nn.Nd4jKernels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.abstracts.Nd4jWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Every per-step temporary lives in the reused workspace: after warm-up it stops growing and nothing spills. (The
 * native kernels allocate no ND4J temporaries at all; their scratch is their own and reused.)
 */
class WorkspaceTest {
    @ParameterizedTest
    @ValueSource(strings = {"nd4j", "native"})
    void workspaceStopsGrowingAfterWarmUpAndNothingSpills(String kernels) {
        NativeKernelsBuilt.assumeFor(kernels);
        Engine engine = new Engine(kernels.equals("nd4j") ? new Nd4jKernels() : new NativeKernels(), DataType.FLOAT, 5, 0).verbose(false);
        Model model = engine.compile(TinyModels.stacked(), TinyModels.PIXELS, Loss.BINARY_CROSSENTROPY, new Optimizer.Sgd(1.5), Metric.ROUNDED_ACCURACY);
        INDArray x = TinyModels.images(640, 1);
        StepBuffers buffers = model.allocateBuffers(32, true);
        int[] order = new int[640];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        long sizeAfterWarmUp = -1;
        for (int step = 0; step < 300; step++) {
            model.trainStep(buffers, x, x, order, (step * 32) % 640);
            Nd4jWorkspace ws = (Nd4jWorkspace) Nd4j.getWorkspaceManager().getWorkspaceForCurrentThread(Model.WORKSPACE_ID);
            if (step == 10) {
                sizeAfterWarmUp = ws.getCurrentSize();
                if (kernels.equals("nd4j")) {
                    assertTrue(sizeAfterWarmUp > 0, "ND4J's temporaries were placed in the workspace");
                }
            }
            if (step > 10) {
                assertEquals(sizeAfterWarmUp, ws.getCurrentSize(), "step " + step + ": the workspace grew");
                assertEquals(0, ws.getSpilledSize(), "step " + step + ": allocations spilled out of the workspace");
                assertEquals(0, ws.getPinnedSize(), "step " + step + ": pinned allocations");
                assertTrue(ws.getLastCycleAllocations() <= sizeAfterWarmUp);
            }
        }
        assertTrue(model.evaluate(x, x).get("loss") < 0.69, "and the model learned something");
    }
}
