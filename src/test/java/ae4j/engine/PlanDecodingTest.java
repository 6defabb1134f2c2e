package ae4j.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ae4j.spec.Activation;
import ae4j.spec.ActivityRegularizer;
import ae4j.spec.Init;
import ae4j.spec.LayerKind;
import ae4j.spec.LearningRateSchedule;
import ae4j.spec.Loss;
import ae4j.spec.Metric;
import ae4j.spec.Optimizer;
import ae4j.spec.Plan;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plan the engines hand over: {@link Plan#ints()} and {@link Plan#reals()} decoded by {@code decode_plan} of
 * native/include/ae4j_plan.h — the very function the CUDA engine (and the CPU one) runs on them — in a small C++
 * program (src/test/cpp/plan_decoder.cpp) compiled here with g++, so that no GPU is needed. Each of the chapter's
 * plans must decode to what the Java plan says, field by field; a corrupted encoding must be refused in the
 * header's words.
 */
class PlanDecodingTest {
    private static final String NO_COMPILER = "g++ is not installed: the plan decoder (src/test/cpp/plan_decoder.cpp) cannot be compiled";

    /* The chapter's models, as the GPU bundle's check trains them (ae4j.bench.DeviceCheck#models). */
    private static final Plan STACKED = Plan.sequential(784).dense(100, Activation.SELU).dense(30, Activation.SELU)
            .dense(100, Activation.SELU).dense(784, Activation.SIGMOID)
            .build(Loss.BINARY_CROSSENTROPY, new Optimizer.Sgd(1.5), Metric.ROUNDED_ACCURACY);
    private static final Plan TIED = Plan.sequential(784).dense(100, Activation.SELU).dense(30, Activation.SELU)
            .denseTransposeOf(1, Activation.SELU).denseTransposeOf(0, Activation.SIGMOID)
            .build(Loss.BINARY_CROSSENTROPY, new Optimizer.Sgd(1.5), Metric.ROUNDED_ACCURACY);
    private static final Plan DROPOUT = Plan.sequential(784).dropout(0.5).dense(100, Activation.SELU).dense(30, Activation.SELU)
            .dense(100, Activation.SELU).dense(784, Activation.SIGMOID)
            .build(Loss.BINARY_CROSSENTROPY, new Optimizer.Sgd(1.0), Metric.ROUNDED_ACCURACY);
    private static final Plan SPARSE_KL = Plan.sequential(784).dense(100, Activation.SELU)
            .dense(300, Activation.SIGMOID, Init.GLOROT_UNIFORM, new ActivityRegularizer.KlDivergence(0.05, 0.1))
            .dense(100, Activation.SELU).dense(784, Activation.SIGMOID)
            .build(Loss.BINARY_CROSSENTROPY, new Optimizer.Sgd(1.0), Metric.ROUNDED_ACCURACY);
    private static final Plan VARIATIONAL = Plan.sequential(784).dense(150, Activation.SELU).dense(100, Activation.SELU)
            .dense(2 * 10, Activation.IDENTITY, Init.GLOROT_UNIFORM_TWO_HEADS, ActivityRegularizer.NONE).sampling(1.0 / 784)
            .dense(100, Activation.SELU).dense(150, Activation.SELU).dense(784, Activation.SIGMOID)
            .build(Loss.BINARY_CROSSENTROPY, new Optimizer.Rmsprop(0.001, 0.9, 1e-7), Metric.ROUNDED_ACCURACY);

    @TempDir
    static Path dir;
    /** The compiled decoder; null without g++. */
    private static Path decoder;

    @BeforeAll
    static void compileTheDecoder() throws IOException, InterruptedException {
        Path program = dir.resolve("plan_decoder");
        Process compiler;
        try {
            compiler = new ProcessBuilder("g++", "-std=c++17", "-Wall", "-Wextra", "-I", Path.of("native", "include").toString(),
                    Path.of("src", "test", "cpp", "plan_decoder.cpp").toString(), "-o", program.toString())
                    .redirectErrorStream(true).start();
        } catch (IOException noCompiler) {
            return;
        }
        String output = new String(compiler.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, compiler.waitFor(), "g++ failed: " + output);
        decoder = program;
    }

    /** Skipped test by test, so that each report says why (surefire drops the reason of a class skipped as a whole). */
    @BeforeEach
    void decoderCompiled() {
        assumeTrue(decoder != null, NO_COMPILER);
    }

    /** What the decoder prints for this encoding, and its exit code. */
    private record Decoded(int exitCode, String output) {
        /** The fields, by name; reals (hexadecimal floats, exact) as Java's Double.toString writes the same double. */
        Map<String, String> fields() {
            Map<String, String> fields = new LinkedHashMap<>();
            for (String line : output.split("\n")) {
                String[] nameAndValue = line.split(" ", 2);
                String value = nameAndValue[1];
                fields.put(nameAndValue[0], value.contains("0x") ? Double.toString(Double.parseDouble(value)) : value);
            }
            return fields;
        }
    }

    private static Decoded decode(long[] ints, double[] reals) throws IOException, InterruptedException {
        StringJoiner input = new StringJoiner(" ");
        input.add(Integer.toString(ints.length));
        Arrays.stream(ints).forEach(i -> input.add(Long.toString(i)));
        input.add(Integer.toString(reals.length));
        Arrays.stream(reals).forEach(r -> input.add(Double.toHexString(r)));
        Process p = new ProcessBuilder(decoder.toString()).redirectErrorStream(true).start();
        try (OutputStream stdin = p.getOutputStream()) {
            stdin.write((input + "\n").getBytes(StandardCharsets.US_ASCII));
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Decoded(p.waitFor(), output);
    }

    /** The fields of a plan the decoder must accept. */
    private static Map<String, String> decode(Plan plan) throws IOException, InterruptedException {
        Decoded decoded = decode(plan.ints(), plan.reals());
        assertEquals(0, decoded.exitCode(), decoded.output());
        return decoded.fields();
    }

    /**
     * The fields decode_plan should find, from the Java plan's own accessors (not from its encoding). Activation
     * and loss codes are their enums' ordinals and regularizers count none, L1, KL: PlanCodesTest holds those to the
     * headers.
     */
    private static Map<String, String> expected(Plan plan) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("input_size", str(plan.inputSize()));
        f.put("layers", str(plan.layers().size()));
        f.put("loss", str(plan.loss().ordinal()));
        f.put("out_act", str(plan.outputActivation().ordinal()));
        f.put("rounded_slot", str(slot(plan, Metric.ROUNDED_ACCURACY)));
        f.put("accuracy_slot", str(slot(plan, Metric.ACCURACY)));
        f.put("totals", str(1 + plan.metrics().size()));
        f.put("first_backward", str(plan.firstBackwardLayer()));
        f.put("params", str(plan.parameterCount()));
        f.put("trainable", str(plan.trainableCount()));
        f.put("optimizer", str(plan.optimizer().kind().code()));
        f.put("nesterov", str(plan.optimizer() instanceof Optimizer.Sgd sgd && sgd.nesterov()));
        Optimizer.Hyperparameters h = plan.optimizer().hyperparameters();
        f.put("lr", str(h.learningRate()));
        f.put("momentum", str(h.momentum()));
        f.put("beta1", str(h.beta1()));
        f.put("beta2", str(h.beta2()));
        f.put("eps", str(h.epsilon()));
        f.put("rho", str(h.rho()));
        LearningRateSchedule.ExponentialDecay decay = plan.optimizer().schedule() instanceof LearningRateSchedule.ExponentialDecay d ? d : null;
        f.put("schedule.kind", str(plan.optimizer().schedule().kind().code()));
        f.put("schedule.staircase", str(decay != null && decay.staircase()));
        f.put("schedule.decay_rate", str(decay == null ? 0 : decay.decayRate()));
        f.put("schedule.decay_steps", str(decay == null ? 0 : (double) decay.decaySteps()));
        f.put("batch_terms", str(plan.hasBatchTerms()));
        f.put("noisy", str(plan.isNoisy()));
        for (int l = 0; l < plan.layers().size(); l++) {
            Plan.LayerPlan layer = plan.layers().get(l);
            String at = "layer[" + l + "].";
            f.put(at + "kind", str(layer.kind().code()));
            f.put(at + "inputs", str(layer.inputs()));
            f.put(at + "outputs", str(layer.outputs()));
            f.put(at + "act", str(layer.activation().ordinal()));
            f.put(at + "transpose_w", str(layer.transposeW()));
            f.put(at + "accumulate_w", str(layer.accumulateW()));
            f.put(at + "w", str(layer.weightOffset()));
            f.put(at + "b", str(layer.biasOffset()));
            double weight = 0;
            double target = 0;
            int regularizer = 0;
            if (layer.regularizer() instanceof ActivityRegularizer.L1 l1) {
                regularizer = 1;
                weight = l1.l1();
            } else if (layer.regularizer() instanceof ActivityRegularizer.KlDivergence kl) {
                regularizer = 2;
                weight = kl.weight();
                target = kl.target();
            }
            f.put(at + "regularizer", str(regularizer));
            f.put(at + "rate", str(layer.rate()));
            f.put(at + "reg_weight", str(weight));
            f.put(at + "reg_target", str(target));
        }
        return f;
    }

    /** The slot decode_plan should find for metric m: its place after the loss, or -1 without it. */
    private static int slot(Plan plan, Metric m) {
        return plan.metrics().contains(m) ? 1 + plan.metrics().indexOf(m) : -1;
    }

    /** The decoded values of these fields, in order. */
    private static List<String> values(Map<String, String> decoded, String... names) {
        return Arrays.stream(names).map(decoded::get).toList();
    }

    private static String str(long v) {
        return Long.toString(v);
    }

    private static String str(double v) {
        return Double.toString(v);
    }

    private static String str(boolean v) {
        return v ? "1" : "0";
    }

    @Test
    void theChaptersPlansDecodeToWhatTheJavaPlansSay() throws IOException, InterruptedException {
        for (Plan plan : List.of(STACKED, TIED, DROPOUT, SPARSE_KL, VARIATIONAL)) {
            assertEquals(expected(plan), decode(plan));
        }
    }

    /** The fused output: sigmoid and binary cross-entropy run as logits; the plan still says which activation. */
    @Test
    void stackedRunsItsOutputAsLogitsAndKeepsOneMetric() throws IOException, InterruptedException {
        Map<String, String> d = decode(STACKED);
        assertEquals(List.of("4", "163814", "163814", "2", "1", "-1"),
                values(d, "layers", "params", "trainable", "totals", "rounded_slot", "accuracy_slot"));
        assertEquals(List.of(str(Activation.SIGMOID.ordinal()), str(Activation.IDENTITY.ordinal()), str(Activation.SELU.ordinal())),
                values(d, "out_act", "layer[3].act", "layer[2].act"));
        assertEquals(List.of("0", "78400", "78500", "81500"), values(d, "layer[0].w", "layer[0].b", "layer[1].w", "layer[1].b"));
        assertEquals(List.of("0", "0", "1.5"), values(d, "optimizer", "nesterov", "lr"));
    }

    /**
     * DenseTranspose multiplies by Wᵀ of the layer it is tied to; of two users of a W, the second in backward order
     * adds its gradient to what the first wrote.
     */
    @Test
    void tiedLayersShareTheirWAndAddToItsGradient() throws IOException, InterruptedException {
        Map<String, String> d = decode(TIED);
        assertEquals(List.of("0", "0", "1", "1"), values(d, "layer[0].transpose_w", "layer[1].transpose_w", "layer[2].transpose_w",
                "layer[3].transpose_w"));
        assertEquals(values(d, "layer[1].w", "layer[0].w"), values(d, "layer[2].w", "layer[3].w"));
        assertEquals(List.of("1", "1", "0", "0"), values(d, "layer[0].accumulate_w", "layer[1].accumulate_w", "layer[2].accumulate_w",
                "layer[3].accumulate_w"), "layers 3 and 2 write their W's gradient first");
        assertEquals("82414", d.get("params"));
    }

    @Test
    void dropoutIsANoisyLayerWithoutParameters() throws IOException, InterruptedException {
        Map<String, String> d = decode(DROPOUT);
        assertEquals(List.of(str(LayerKind.DROPOUT.code()), "784", "784", "-1", "-1", "0.5"),
                values(d, "layer[0].kind", "layer[0].inputs", "layer[0].outputs", "layer[0].w", "layer[0].b", "layer[0].rate"));
        assertEquals(List.of("1", "0"), values(d, "noisy", "batch_terms"));
    }

    @Test
    void theSparseLayerCarriesItsKlRegularizerAndMakesBatchTerms() throws IOException, InterruptedException {
        Map<String, String> d = decode(SPARSE_KL);
        assertEquals(List.of("2", "0.05", "0.1"), values(d, "layer[1].regularizer", "layer[1].reg_weight", "layer[1].reg_target"));
        assertEquals("0", d.get("layer[2].regularizer"));
        assertEquals(List.of("1", "0"), values(d, "batch_terms", "noisy"));
    }

    @Test
    void theVariationalPlanSamplesItsLatentAndUsesRmsprop() throws IOException, InterruptedException {
        Map<String, String> d = decode(VARIATIONAL);
        assertEquals(List.of(str(LayerKind.SAMPLING.code()), "20", "10", str(1.0 / 784)),
                values(d, "layer[3].kind", "layer[3].inputs", "layer[3].outputs", "layer[3].rate"));
        assertEquals(List.of(str(Optimizer.Kind.RMSPROP.code()), "0.001", "0.9", "1.0E-7"), values(d, "optimizer", "lr", "rho", "eps"));
        assertEquals("1", d.get("noisy"));
    }

    @Test
    void corruptedEncodingsAreRefusedInTheHeadersWords() throws IOException, InterruptedException {
        long[] wrongVersion = STACKED.ints();
        wrongVersion[0] = 2;
        assertEquals(new Decoded(1, "invalid engine plan: version (2)\n"), decode(wrongVersion, STACKED.reals()));
        long[] tooManyLayers = STACKED.ints();
        tooManyLayers[2] = CudaEngine.MAX_LAYERS + 1;
        assertEquals(new Decoded(1, "invalid engine plan: layer count (33)\n"), decode(tooManyLayers, STACKED.reals()));
        long[] tiedToNowhere = TIED.ints();
        tiedToNowhere[15 + 9 * 3 + 6] = TIED.parameterCount(); // the last layer's W offset, past the vector
        assertEquals(new Decoded(1, "invalid engine plan: W offset (82414)\n"), decode(tiedToNowhere, TIED.reals()));
        assertEquals(new Decoded(1, "invalid engine plan: reals (22)\n"),
                decode(STACKED.ints(), Arrays.copyOf(STACKED.reals(), STACKED.reals().length + 2)));
        long[] unknownActivation = STACKED.ints();
        int pastTheLast = Activation.values().length;
        unknownActivation[15 + 3] = pastTheLast; // the first layer's activation
        assertEquals(new Decoded(1, "invalid engine plan: activation (" + pastTheLast + ")\n"), decode(unknownActivation, STACKED.reals()));
    }

    /** The last activation code is one the header accepts. */
    @Test
    void anEluPlanDecodes() throws IOException, InterruptedException {
        Plan elu = Plan.sequential(6).dense(4, Activation.ELU).dense(6, Activation.SIGMOID).build(Loss.MSE, new Optimizer.Sgd(0.1));
        assertEquals(expected(elu), decode(elu));
        assertEquals(str(Activation.ELU.ordinal()), decode(elu).get("layer[0].act"));
    }

    /** A decaying rate carries its schedule; a decay without a rate or steps, or an unknown schedule, is refused. */
    @Test
    void theLearningRateScheduleDecodesAndABrokenOneIsRefused() throws IOException, InterruptedException {
        Plan decayed = Plan.sequential(6).dense(4, Activation.SELU).dense(6, Activation.SIGMOID)
                .build(Loss.MSE, new Optimizer.Sgd(0.3).withSchedule(new LearningRateSchedule.ExponentialDecay(0.5, 7, true)));
        Map<String, String> d = decode(decayed);
        assertEquals(expected(decayed), d);
        assertEquals(List.of(str(LearningRateSchedule.Kind.EXPONENTIAL_DECAY.code()), "1", "0.5", "7.0"),
                values(d, "schedule.kind", "schedule.staircase", "schedule.decay_rate", "schedule.decay_steps"));
        double[] noSteps = decayed.reals();
        noSteps[7] = 0;
        assertEquals(new Decoded(1, "invalid engine plan: decay rate or steps of the learning-rate schedule (1)\n"),
                decode(decayed.ints(), noSteps));
        long[] unknown = decayed.ints();
        unknown[13] = 2;
        assertEquals(new Decoded(1, "invalid engine plan: learning-rate schedule (2)\n"), decode(unknown, decayed.reals()));
    }

    /** What CudaEngine refuses for its size (CudaEngineTest), decode_plan refuses too: the Java check only says it first. */
    @Test
    void plansTheJavaSideRefusesForTheirSizeTheNativeSideRefusesToo() throws IOException, InterruptedException {
        Plan.Builder deep = Plan.sequential(4);
        for (int l = 0; l <= CudaEngine.MAX_LAYERS; l++) {
            deep.dense(4, Activation.SELU);
        }
        Plan tooDeep = deep.build(Loss.MSE, new Optimizer.Sgd(0.1));
        assertEquals(new Decoded(1, "invalid engine plan: layer count (33)\n"), decode(tooDeep.ints(), tooDeep.reals()));
        Metric[] eightMetrics = new Metric[CudaEngine.MAX_TOTALS];
        Arrays.fill(eightMetrics, Metric.ROUNDED_ACCURACY);
        Plan tooManyTotals = Plan.sequential(4).dense(4, Activation.SIGMOID).build(Loss.MSE, new Optimizer.Sgd(0.1), eightMetrics);
        assertEquals(new Decoded(1, "invalid engine plan: totals (9)\n"), decode(tooManyTotals.ints(), tooManyTotals.reals()));
        Metric[] sevenMetrics = Arrays.copyOf(eightMetrics, CudaEngine.MAX_TOTALS - 1);
        Plan mostTotals = Plan.sequential(4).dense(4, Activation.SIGMOID).build(Loss.MSE, new Optimizer.Sgd(0.1), sevenMetrics);
        assertEquals(expected(mostTotals), decode(mostTotals));
    }
}
