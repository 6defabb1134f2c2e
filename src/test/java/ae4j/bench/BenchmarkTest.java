package ae4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae4j.NativeEngineBuilt;
import ae4j.data.DatasetSource;
import ae4j.data.FashionMnist;
import ae4j.experiments.Recipe;
import ae4j.experiments.StackedAutoencoder;
import ae4j.experiments.TiedAutoencoder;
import ae4j.nn.Sequential;
import java.util.List;
import org.junit.jupiter.api.Test;

/** FLOP counts of the chapter's models, and the schema of the benchmark's JSON. */
class BenchmarkTest {
    static long flops(Sequential network, int inputs, int batch) {
        network.build(inputs);
        return Flops.perStep(network.layers(), batch);
    }

    @Test
    void flopCountsOfTheChaptersModels() {
        long product784 = 2L * 32 * 784 * 100;
        long product30 = 2L * 32 * 100 * 30;
        long stacked = 2 * product784 + 3 * product30 + 3 * product30 + 3 * product784; // the first layer needs no dx
        assertEquals(stacked, flops(StackedAutoencoder.build().network(), 784, 32), "11 products of the stacked step");
        assertEquals(stacked, flops(TiedAutoencoder.build().network(), 784, 32), "tying shares W, not the work");
        assertEquals(8 * stacked, flops(StackedAutoencoder.build().network(), 784, 256));
        long linear = 2L * 32 * 3 * 2 * 2 + 2L * 32 * 2 * 3 * 3;
        assertEquals(linear, flops(Sequential.of(new ae4j.nn.Dense(2, ae4j.spec.Activation.IDENTITY), new ae4j.nn.Dense(3, ae4j.spec.Activation.IDENTITY)), 3, 32));
    }

    @Test
    void reportCarriesTheMachineAndEveryFieldPerConfiguration() {
        FashionMnist data = FashionMnist.load(DatasetSource.embeddedSample());
        NativeEngineBuilt.assume();
        Benchmark bench = new Benchmark(new Benchmark.Settings(List.of(Recipe.LINEAR, Recipe.STACKED), List.of("nd4j", "native"), List.of(1, 2),
                List.of(32, 100), 2, 5, 2, true, false), () -> data);
        BenchReport report = bench.run();
        assertEquals(Benchmark.FORMAT, report.format());
        BenchReport.Machine machine = report.machine();
        assertTrue(!machine.cpuModel().isEmpty() && machine.cpuCores() > 0 && machine.gpus() != null && machine.backend().equals("cpu")
                && machine.nd4j() != null && machine.blasThreads() > 0 && machine.ompThreads() != null && machine.profile() != null, machine.toString());
        List<BenchReport.Result> results = report.results();
        assertEquals(2 * (1 + 2) * 2 + 2, results.size(), "models × (nd4j + native × 2 thread counts) × batch sizes, plus DL4J per batch size");
        assertTrue(results.stream().anyMatch(r -> "linear".equals(r.model()) && r.skipped() != null), "linear has only 60 samples");
        for (BenchReport.Result r : results) {
            if (r.skipped() != null) {
                continue;
            }
            String what = r.model() + "/" + r.engine() + ": ";
            for (Number n : List.of(r.msPerStepMedian(), r.msPerStepP95(), r.msPerStepRepetitionMin(), r.msPerStepRepetitionMax(),
                    r.samplesPerSecond(), r.epochSeconds(), r.gflops(), r.flopsPerStep(), r.peakRssMib())) {
                assertTrue(n.doubleValue() > 0, what + r);
            }
            assertTrue(r.msPerStepP95() >= r.msPerStepMedian());
            if ("nd4j".equals(r.engine())) {
                assertTrue(r.workspaceBytesPerStep() != null, what + "workspace_bytes_per_step");
            }
            if ("native".equals(r.engine())) {
                int threads = r.threads();
                assertTrue(r.engineDescription().contains(threads + (threads == 1 ? " thread" : " threads")), r.engineDescription());
                assertEquals(0.0, r.engineAllocationsPerStep(), "the native engine allocates nothing per step");
            }
            if (!"dl4j-mln".equals(r.engine())) {
                assertTrue(r.heapBytesPerStep() != null, what + "heap_bytes_per_step");
            }
            if ("stacked".equals(r.model()) && !"dl4j-mln".equals(r.engine())) {
                assertTrue(r.speedupVsDl4j() > 0, "a ratio measured in the same run");
            }
        }
        assertEquals(2 * 2, report.scaling().size(), "two thread counts at each batch size");
    }
}
