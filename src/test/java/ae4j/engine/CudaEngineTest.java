package ae4j.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import ae4j.spec.Activation;
import ae4j.spec.Loss;
import ae4j.spec.Metric;
import ae4j.spec.Optimizer;
import ae4j.spec.Plan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The CUDA engine's Java side, on any machine: a caller's mistake is an {@link IllegalArgumentException} saying what
 * is wrong, before the library is looked for (so here, without a GPU, too); a machine that cannot run the engine
 * gets CudaLibrary's reason as an {@link IllegalStateException}.
 */
class CudaEngineTest {
    /** 784-100-30-100-784 with SGD without momentum: no optimizer state. */
    private static final Plan STACKED = Plan.sequential(784).dense(100, Activation.SELU).dense(30, Activation.SELU)
            .dense(100, Activation.SELU).dense(784, Activation.SIGMOID)
            .build(Loss.BINARY_CROSSENTROPY, new Optimizer.Sgd(1.5), Metric.ROUNDED_ACCURACY);
    private static final int PARAMETERS = 163_814;
    /** The same with momentum: one slot of state per parameter. */
    private static final Plan WITH_MOMENTUM = Plan.sequential(784).dense(100, Activation.SELU).dense(30, Activation.SELU)
            .dense(100, Activation.SELU).dense(784, Activation.SIGMOID)
            .build(Loss.BINARY_CROSSENTROPY, new Optimizer.Sgd(1.5, 0.9, false), Metric.ROUNDED_ACCURACY);

    /** The message of the IllegalArgumentException that create throws for these arguments. */
    private static String refusal(Plan plan, HostArray params, HostArray grads, HostArray state) {
        return assertThrows(IllegalArgumentException.class, () -> CudaEngine.create(plan, params, grads, state)).getMessage();
    }

    @Test
    void float64VectorsAreRefused() {
        try (OffHeapArray f32 = OffHeapArray.floats(1, PARAMETERS); OffHeapArray f64 = OffHeapArray.doubles(1, PARAMETERS);
             OffHeapArray state = OffHeapArray.floats(1, 1)) {
            assertEquals("the CUDA engine trains in float32 only", refusal(STACKED, f64, f32, state));
            assertEquals("the CUDA engine trains in float32 only", refusal(STACKED, f32, f64, state));
            try (OffHeapArray f64State = OffHeapArray.doubles(1, 1)) {
                assertEquals("the CUDA engine trains in float32 only", refusal(STACKED, f32, f32, f64State));
            }
        }
    }

    @Test
    void vectorsOfTheWrongLengthAreRefusedWithBothLengths() {
        try (OffHeapArray right = OffHeapArray.floats(1, PARAMETERS); OffHeapArray short1 = OffHeapArray.floats(1, PARAMETERS - 1);
             OffHeapArray state = OffHeapArray.floats(1, PARAMETERS - 1)) {
            assertEquals("the parameter vector has 163813 elements, the plan has 163814 parameters",
                    refusal(STACKED, short1, right, state));
            assertEquals("the gradient vector has 163813 elements, the plan has 163814 parameters", refusal(STACKED, right, short1, state));
            assertEquals("the optimizer state vector has 163813 elements, the plan's optimizer needs 163814",
                    refusal(WITH_MOMENTUM, right, right, state));
        }
    }

    @Test
    void plansLargerThanTheNativeEngineHoldsAreRefused() {
        Plan.Builder deep = Plan.sequential(4);
        for (int l = 0; l <= CudaEngine.MAX_LAYERS; l++) {
            deep.dense(4, Activation.SELU);
        }
        Plan tooDeep = deep.build(Loss.MSE, new Optimizer.Sgd(0.1));
        try (OffHeapArray params = OffHeapArray.floats(1, (int) tooDeep.parameterCount());
             OffHeapArray grads = OffHeapArray.floats(1, (int) tooDeep.parameterCount()); OffHeapArray state = OffHeapArray.floats(1, 1)) {
            assertEquals("the CUDA engine runs at most 32 layers, the plan has 33", refusal(tooDeep, params, grads, state));
        }
        Metric[] eightMetrics = new Metric[CudaEngine.MAX_TOTALS];
        Arrays.fill(eightMetrics, Metric.ROUNDED_ACCURACY);
        Plan tooManyTotals = Plan.sequential(4).dense(4, Activation.SIGMOID).build(Loss.MSE, new Optimizer.Sgd(0.1), eightMetrics);
        try (OffHeapArray params = OffHeapArray.floats(1, 20); OffHeapArray grads = OffHeapArray.floats(1, 20);
             OffHeapArray state = OffHeapArray.floats(1, 1)) {
            assertEquals("the CUDA engine keeps at most 7 metrics beside the loss, the plan has 8",
                    refusal(tooManyTotals, params, grads, state));
        }
    }

    /** The Java side's limits are ae4j_plan.h's own: what it lets through, decode_plan does not refuse for its size. */
    @Test
    void limitsAreThePlanHeaders() throws IOException {
        String header = Files.readString(Path.of("native", "include", "ae4j_plan.h"));
        assertEquals(CudaEngine.MAX_LAYERS, constant(header, "MAX_LAYERS"));
        assertEquals(CudaEngine.MAX_TOTALS, constant(header, "MAX_TOTALS"));
    }

    private static int constant(String header, String name) {
        Matcher m = Pattern.compile("constexpr int " + name + " = (\\d+);").matcher(header);
        assertTrue(m.find(), "ae4j_plan.h defines no " + name);
        return Integer.parseInt(m.group(1));
    }

    /** Right arguments on a machine that cannot run the engine: CudaLibrary's reason, never an UnsatisfiedLinkError. */
    @Test
    void withoutTheEngineCreateSaysWhy() {
        assumeFalse(CudaLibrary.available(), "the CUDA engine runs here (this test is for machines without it)");
        String reason = assertThrows(IllegalStateException.class, CudaLibrary::require).getMessage();
        try (OffHeapArray params = OffHeapArray.floats(1, PARAMETERS); OffHeapArray grads = OffHeapArray.floats(1, PARAMETERS);
             OffHeapArray state = OffHeapArray.floats(1, 1)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> CudaEngine.create(STACKED, params, grads, state));
            assertEquals(reason, e.getMessage());
            assertFalse(reason.isBlank() || reason.contains("\n"), "one line: " + reason);
        }
    }
}
