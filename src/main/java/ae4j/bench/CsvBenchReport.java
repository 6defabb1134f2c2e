package ae4j.bench;

import java.util.Arrays;
import java.util.List;

/**
 * What {@code ae4j bench csv} measured: the machine, the file, and one {@link Read} per reader, each timed in every
 * repetition. {@code --json} writes it in format {@link CsvBenchmark#FORMAT}, each field in snake_case and absent
 * values left out.
 *
 * @param machine the CPU (model and cores), Java and the OS; the ND4J keys of {@code ae4j bench} are left out, as
 *                reading a file uses no ND4J
 */
public record CsvBenchReport(String format, BenchReport.Machine machine, Input file, int repeats, List<Read> reads, Long peakRssMib) {

    /** The generated file: its size, shape, seed and what its values look like. */
    public record Input(String path, long bytes, long rows, int columns, long seed, String values) {
    }

    /**
     * One reader: its seconds per read (each repetition's, their median and range), the file's MiB per second at
     * the median, the median wall time of its whole process (fresh processes only: start-up and imports included),
     * and, for ae4j's readers, pandas' median over its own (above 1: ae4j is faster) — float32 is the fair
     * comparison, the same output type. {@code skipped} says why a reader did not run.
     *
     * @param output the element type it produces: float32 or float64
     * @param how    what exactly ran
     */
    public record Read(String reader, String output, String how, String skipped, Double secondsMedian, Double secondsMin, Double secondsMax,
                       List<Double> seconds, Double mibPerSecond, Double processSecondsMedian, Double speedupVsPandasFloat32,
                       Double speedupVsPandasFloat64) {

        static Read skippedBecause(String reader, String output, String how, String why) {
            return new Read(reader, output, how, why, null, null, null, null, null, null, null, null);
        }

        /** @param processSeconds each run's whole process, or null when it ran in this one */
        static Read measured(String reader, String output, String how, double[] seconds, double[] processSeconds, long bytes) {
            double median = StepTiming.percentile(seconds, 50);
            return new Read(reader, output, how, null, median, Arrays.stream(seconds).min().orElseThrow(),
                    Arrays.stream(seconds).max().orElseThrow(), Arrays.stream(seconds).boxed().toList(),
                    bytes / (double) (1 << 20) / median, processSeconds == null ? null : StepTiming.percentile(processSeconds, 50), null, null);
        }

        Read withSpeedups(Double overFloat32, Double overFloat64) {
            return new Read(reader, output, how, skipped, secondsMedian, secondsMin, secondsMax, seconds, mibPerSecond, processSecondsMedian,
                    overFloat32, overFloat64);
        }
    }
}
