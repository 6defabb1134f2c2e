package ae4j.bench;

import ae4j.experiments.Recipe;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What {@code ae4j bench} measured: the machine, the steps each configuration ran, the GEMM routes (CPU backend
 * only), one {@link Result} per configuration, the native engine's scaling over thread counts (when several were
 * given) and the process's peak memory. {@code --json} writes it in format {@link Benchmark#FORMAT}, each field in
 * snake_case and absent values left out; {@code bench compare} reads such files back into it.
 */
public record BenchReport(String format, Machine machine, Steps settings, GemmComparison.Report gemm, List<Result> results,
                          List<Scaling> scaling, Long peakRssMib) {

    /** What the benchmark ran on: the keys of {@code ae4j info} that tell two machines apart. */
    public record Machine(String cpuModel, Integer cpuCores, List<String> cpuFeatures, List<Map<String, Object>> gpus, String gpuDriver,
                          String backend, String build, String nd4j, String blasVendor, Integer blasThreads, String ompThreads,
                          String engines, String java, String os, String profile) {
    }

    /** The untimed and timed steps of each configuration, and how many times the timed ones ran. */
    public record Steps(int warmupSteps, int timedSteps, int repeats) {
    }

    /**
     * One configuration: a model on an engine (with the native engine's threads) at a batch size, or why it was
     * skipped. Its steps' times ({@link StepTiming}), what they do per second and per 55,000-image epoch, their
     * speed against the GEMM peak and against DL4J at the same batch size; what the engine ran on and what a step
     * allocates (the ND4J-op engine's workspace, the heap, off-heap memory); the process's peak memory so far.
     */
    public record Result(String model, String engine, Integer threads, int batchSize, String skipped, Long flopsPerStep,
                         Double msPerStepMedian, Double msPerStepP95, Double msPerStepRepetitionMin, Double msPerStepRepetitionMax,
                         Integer timedSteps, Integer repeats, Double samplesPerSecond, Integer epochSamples, Double epochSeconds,
                         Double gflops, Double percentOfGemmPeak, String engineDescription, Long parameters,
                         Double engineAllocationsPerStep, Long workspaceBytes, Long workspaceBytesPerStep, Long workspaceSpilledBytes,
                         Long heapBytesPerStep, Long offheapGrowthBytesPerStep, Long offheapBytes, Long peakRssMib, Double speedupVsDl4j) {

        /** What ran and what a step allocated; the workspace's bytes only for the ND4J-op engine. */
        record Allocations(String engineDescription, Long parameters, Double engineAllocationsPerStep, Long workspaceBytes,
                           Long workspaceBytesPerStep, Long workspaceSpilledBytes, Long heapBytesPerStep, Long offheapGrowthBytesPerStep,
                           Long offheapBytes) {
            /** DL4J's: ae4j cannot see into it. */
            static final Allocations UNSEEN = new Allocations(null, null, null, null, null, null, null, null, null);
        }

        static Result skippedBecause(String model, String engine, int batchSize, String why) {
            return new Result(model, engine, null, batchSize, why, null, null, null, null, null, null, null, null, null, null, null, null,
                    null, null, null, null, null, null, null, null, null, null, null);
        }

        /**
         * @param flops        floating-point operations per step
         * @param epochSamples the samples of one epoch of the model's data
         * @param peak         the GEMM peak (GFLOP/s) of the threads it ran on, NaN when not measured
         */
        static Result measured(String model, String engine, Integer threads, int batchSize, long flops, int epochSamples, StepTiming timing,
                               double peak, Allocations a, long peakRssMib) {
            double seconds = timing.msPerStepMedian() / 1e3;
            double gflops = flops / seconds / 1e9;
            return new Result(model, engine, threads, batchSize, null, flops, timing.msPerStepMedian(), timing.msPerStepP95(),
                    timing.msPerStepRepetitionMin(), timing.msPerStepRepetitionMax(), timing.timedSteps(), timing.repeats(), batchSize / seconds, epochSamples,
                    Math.ceil((double) epochSamples / batchSize) * seconds, gflops, Double.isNaN(peak) ? null : 100 * gflops / peak,
                    a.engineDescription(), a.parameters(), a.engineAllocationsPerStep(), a.workspaceBytes(), a.workspaceBytesPerStep(),
                    a.workspaceSpilledBytes(), a.heapBytesPerStep(), a.offheapGrowthBytesPerStep(), a.offheapBytes(), peakRssMib, null);
        }

        Result withSpeedupVsDl4j(double speedup) {
            return new Result(model, engine, threads, batchSize, skipped, flopsPerStep, msPerStepMedian, msPerStepP95, msPerStepRepetitionMin,
                    msPerStepRepetitionMax, timedSteps, repeats, samplesPerSecond, epochSamples, epochSeconds, gflops, percentOfGemmPeak,
                    engineDescription, parameters, engineAllocationsPerStep, workspaceBytes, workspaceBytesPerStep, workspaceSpilledBytes,
                    heapBytesPerStep, offheapGrowthBytesPerStep, offheapBytes, peakRssMib, speedup);
        }
    }

    /** Whole epochs of the stacked autoencoder on the native engine with one thread count: each timed, their median, its speed-up over one thread. */
    public record Scaling(String model, int batchSize, int threads, double epochSecondsMedian, List<Double> epochSeconds,
                          @JsonProperty("speedup_vs_1_thread") Double speedupVs1Thread) {
    }

    /** Each stacked configuration of an ae4j engine with its speed-up over DL4J at the same batch size, measured in this run. */
    static List<Result> withSpeedupsOverDl4j(List<Result> results) {
        List<Result> out = new ArrayList<>();
        for (Result r : results) {
            Result with = r;
            if (r.skipped() == null && Recipe.STACKED.id().equals(r.model()) && !Benchmark.DL4J.equals(r.engine())) {
                for (Result d : results) {
                    if (Benchmark.DL4J.equals(d.engine()) && d.batchSize() == r.batchSize()) {
                        with = r.withSpeedupVsDl4j(d.msPerStepMedian() / r.msPerStepMedian());
                    }
                }
            }
            out.add(with);
        }
        return out;
    }
}
