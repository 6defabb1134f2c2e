package ae4j.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The plan's integer codes are the C enums' of native/include/ae4j_kernels.h and ae4j_plan.h, read from the headers
 * themselves: a kind added or reordered on one side only fails here, not as a wrong layer in a native step.
 */
class PlanCodesTest {
    private static final Path INCLUDE = Path.of("native", "include");

    /** Every {@code NAME = value} of the header's {@code enum ENUM { ... }}. */
    private static Map<String, Integer> cEnum(String header, String name) throws IOException {
        String text = Files.readString(INCLUDE.resolve(header));
        Matcher body = Pattern.compile("enum\\s+" + name + "\\s*\\{([^}]*)}").matcher(text);
        assertTrue(body.find(), header + " has no enum " + name);
        Map<String, Integer> values = new HashMap<>();
        Matcher entry = Pattern.compile("(\\w+)\\s*=\\s*(\\d+)").matcher(body.group(1));
        while (entry.find()) {
            values.put(entry.group(1), Integer.parseInt(entry.group(2)));
        }
        return values;
    }

    @Test
    void layerKindsRunAsTheHeadersKinds() throws IOException {
        Map<String, Integer> c = cEnum("ae4j_plan.h", "LayerKind");
        for (LayerKind k : LayerKind.values()) {
            assertEquals(c.get(k.nativeName()), k.code(), k + " as " + k.nativeName());
        }
        assertEquals(c.keySet(), java.util.Arrays.stream(LayerKind.values()).map(LayerKind::nativeName).collect(java.util.stream.Collectors.toSet()),
                "every C layer kind has a Java kind");
        assertEquals(LayerKind.DENSE.code(), LayerKind.DENSE_TRANSPOSE.code(), "Dense and DenseTranspose share one kernel");
    }

    @Test
    void optimizersActivationsLossesAndRegularizersMatchTheirEnums() throws IOException {
        Map<String, Integer> optimizers = cEnum("ae4j_plan.h", "OptimizerKind");
        assertEquals(Optimizer.Kind.values().length, optimizers.size());
        for (Optimizer.Kind k : Optimizer.Kind.values()) {
            assertEquals(optimizers.get("OPT_" + k.name()), k.code(), k.name());
        }
        Map<String, Integer> activations = cEnum("ae4j_kernels.h", "Act");
        assertEquals(Activation.values().length, activations.size());
        for (Activation a : Activation.values()) {
            assertEquals(activations.get("ACT_" + a.name()), Plan.code(a), a.name());
        }
        Map<String, Integer> losses = cEnum("ae4j_kernels.h", "LossKind");
        assertEquals(Map.of("LOSS_MSE", Plan.code(Loss.MSE), "LOSS_BCE", Plan.code(Loss.BINARY_CROSSENTROPY), "LOSS_CCE",
                Plan.code(Loss.CATEGORICAL_CROSSENTROPY)), losses);
        assertEquals(Map.of("REG_NONE", Plan.code(ActivityRegularizer.NONE), "REG_L1", Plan.code(new ActivityRegularizer.L1(1)), "REG_KL",
                Plan.code(new ActivityRegularizer.KlDivergence(1, 0.5))), cEnum("ae4j_kernels.h", "RegularizerKind"));
        Map<String, Integer> schedules = cEnum("ae4j_kernels.h", "ScheduleKind");
        assertEquals(LearningRateSchedule.Kind.values().length, schedules.size());
        for (LearningRateSchedule.Kind k : LearningRateSchedule.Kind.values()) {
            assertEquals(schedules.get("SCHEDULE_" + k.name()), k.code(), k.name());
        }
    }

    @Test
    void eachOptimizerSaysWhichItIsAndCarriesItsSettings() {
        LearningRateSchedule decay = new LearningRateSchedule.ExponentialDecay(0.5, 100, true);
        for (Optimizer o : List.of(new Optimizer.Sgd(0.1, 0.9, true), new Optimizer.Adam(0.01), new Optimizer.Nadam(0.02), new Optimizer.Rmsprop(),
                new Optimizer.Sgd(0.1).withSchedule(decay), new Optimizer.Nadam(0.02).withSchedule(decay))) {
            assertEquals(o.kind().name().toLowerCase(java.util.Locale.ROOT), o.config().get("type"));
            assertEquals(o.learningRate(), o.hyperparameters().learningRate());
            assertEquals(o, Optimizer.fromConfig(o.config()));
            assertEquals(o.schedule() != LearningRateSchedule.CONSTANT, o.config().containsKey("learning_rate_schedule"),
                    "a constant rate is described as files older than schedules describe it");
        }
        assertEquals(decay, new Optimizer.Rmsprop().withSchedule(decay).schedule());
        assertEquals(0.9, new Optimizer.Sgd(0.1, 0.9, false).hyperparameters().momentum());
        assertEquals(0.9, new Optimizer.Rmsprop().hyperparameters().rho());
    }

    @Test
    void theEncodedPlanCarriesEachKindsCode() {
        Plan tied = Plan.sequential(6).dropout(0.5).dense(4, Activation.SELU).denseTransposeOf(1, Activation.SIGMOID)
                .build(Loss.BINARY_CROSSENTROPY, new Optimizer.Nadam(0.01), Metric.ROUNDED_ACCURACY);
        long[] ints = tied.ints();
        assertEquals(Optimizer.Kind.NADAM.code(), ints[11]);
        assertEquals(List.of((long) LearningRateSchedule.Kind.CONSTANT.code(), 0L), List.of(ints[13], ints[14]));
        int header = 15;
        int perLayer = 9;
        assertEquals(List.of((long) LayerKind.DROPOUT.code(), (long) LayerKind.DENSE.code(), (long) LayerKind.DENSE.code()),
                List.of(ints[header], ints[header + perLayer], ints[header + 2 * perLayer]));
        assertEquals(List.of(0L, 0L, 1L), List.of(ints[header + 4], ints[header + perLayer + 4], ints[header + 2 * perLayer + 4]),
                "transpose_w");
    }

    @Test
    void theEncodedPlanCarriesTheLearningRateSchedule() {
        Plan decayed = Plan.sequential(6).dense(4, Activation.SELU).dense(6, Activation.SIGMOID)
                .build(Loss.MSE, new Optimizer.Adam(0.01).withSchedule(new LearningRateSchedule.ExponentialDecay(0.96, 1000, true)));
        assertEquals(List.of((long) LearningRateSchedule.Kind.EXPONENTIAL_DECAY.code(), 1L), List.of(decayed.ints()[13], decayed.ints()[14]));
        assertEquals(List.of(0.01, 0.96, 1000.0), List.of(decayed.reals()[0], decayed.reals()[6], decayed.reals()[7]));
    }
}
