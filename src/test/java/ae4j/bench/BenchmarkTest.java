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
import java.util.Map;
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
    @SuppressWarnings("unchecked")
    void reportCarriesTheMachineAndEveryFieldPerConfiguration() {
        FashionMnist data = FashionMnist.load(DatasetSource.embeddedSample());
        NativeEngineBuilt.assume();
        Benchmark bench = new Benchmark(new Benchmark.Settings(List.of(Recipe.LINEAR, Recipe.STACKED), List.of("nd4j", "native"), List.of(1, 2),
                List.of(32, 100), 2, 5, 2, true, false), () -> data);
        Map<String, Object> report = bench.run();
        assertEquals(Benchmark.FORMAT, report.get("format"));
        Map<String, Object> machine = (Map<String, Object>) report.get("machine");
        for (String key : List.of("cpu_model", "cpu_cores", "gpus", "gpu_driver", "backend", "nd4j", "blas_threads", "omp_threads", "profile")) {
            assertTrue(machine.containsKey(key), "machine." + key);
        }
        List<Map<String, Object>> results = (List<Map<String, Object>>) report.get("results");
        assertEquals(2 * (1 + 2) * 2 + 2, results.size(), "models × (nd4j + native × 2 thread counts) × batch sizes, plus DL4J per batch size");
        assertTrue(results.stream().anyMatch(r -> "linear".equals(r.get("model")) && r.containsKey("skipped")), "linear has only 60 samples");
        for (Map<String, Object> r : results) {
            if (r.containsKey("skipped")) {
                continue;
            }
            for (String key : List.of("ms_per_step_median", "ms_per_step_p95", "ms_per_step_repetition_min", "ms_per_step_repetition_max",
                    "samples_per_second", "epoch_seconds", "gflops", "flops_per_step", "peak_rss_mib")) {
                assertTrue(((Number) r.get(key)).doubleValue() > 0, r.get("model") + "/" + r.get("engine") + ": " + key);
            }
            assertTrue((double) r.get("ms_per_step_p95") >= (double) r.get("ms_per_step_median"));
            if ("nd4j".equals(r.get("engine"))) {
                assertTrue(r.containsKey("workspace_bytes_per_step"));
            }
            if ("native".equals(r.get("engine"))) {
                int threads = ((Number) r.get("threads")).intValue();
                assertTrue(((String) r.get("engine_description")).contains(threads + (threads == 1 ? " thread" : " threads")),
                        (String) r.get("engine_description"));
                assertEquals(0.0, (double) r.get("engine_allocations_per_step"), "the native engine allocates nothing per step");
            }
            if (!"dl4j-mln".equals(r.get("engine"))) {
                assertTrue(r.containsKey("heap_bytes_per_step"));
            }
            if ("stacked".equals(r.get("model")) && !"dl4j-mln".equals(r.get("engine"))) {
                assertTrue((double) r.get("speedup_vs_dl4j") > 0, "a ratio measured in the same run");
            }
        }
    }
}
