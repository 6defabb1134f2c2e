package ae4j.train;

/**
 * What the user chose for a whole training run: a model file records it ({@link ModelFile.Metadata}), and a
 * resumed run must choose the same.
 *
 * @param learningRate null for each model's book value
 * @param engine       which step engine trained (native, nd4j or cuda); null in files older than the engines
 * @param threads      the native engine's threads, null for the other engines
 * @param backend      the ND4J backend (cpu or cuda); null in files older than the backends
 * @param lrSchedule   the learning-rate schedule as --lr-schedule names it (in its parsed, canonical form); null
 *                     for none, as in files older than the schedules
 */
public record RunSettings(long seed, int batchSize, Double learningRate, String engine, Integer threads, String backend,
                          String lrSchedule) {
    /** Settings without a learning-rate schedule. */
    public RunSettings(long seed, int batchSize, Double learningRate, String engine, Integer threads, String backend) {
        this(seed, batchSize, learningRate, engine, threads, backend, null);
    }

    /** @param learningRate NaN for each model's book value */
    public static RunSettings of(long seed, int batchSize, double learningRate, String engine, Integer threads, String backend) {
        return new RunSettings(seed, batchSize, Double.isNaN(learningRate) ? null : learningRate, engine, threads, backend);
    }

    public RunSettings withLrSchedule(String schedule) {
        return new RunSettings(seed, batchSize, learningRate, engine, threads, backend, schedule);
    }
}
