package ae4j.bench;

import java.util.Arrays;

/**
 * Step times that survive a noisy machine: every step timed on its own, in several repetitions; the median and
 * 95th percentile over all steps, and the spread (lowest and highest) of the repetitions' medians. Steps that
 * only enqueue work (a GPU) are timed as whole repetitions, up to the point the device has finished them: each
 * repetition's mean then stands for all its steps.
 */
public record StepTiming(double msPerStepMedian, double msPerStepP95, double msPerStepRepetitionMin, double msPerStepRepetitionMax,
                         int timedSteps, int repeats) {

    public interface Step {
        void run();
    }

    /** Synchronous steps, after {@code warmup} untimed ones. */
    public static StepTiming measure(Step step, int warmup, int steps, int repeats) {
        for (int i = 0; i < warmup; i++) {
            step.run();
        }
        return measure(step, () -> { }, false, steps, repeats);
    }

    /** @param finish waits for the steps issued so far; @param asynchronous whether steps return before they are done */
    public static StepTiming measure(Step step, Step finish, boolean asynchronous, int steps, int repeats) {
        double[] all = new double[steps * repeats];
        double[] repetitionMedians = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            double[] times = new double[steps];
            if (asynchronous) {
                long t0 = System.nanoTime();
                for (int i = 0; i < steps; i++) {
                    step.run();
                }
                finish.run();
                Arrays.fill(times, (System.nanoTime() - t0) / 1e6 / steps);
            } else {
                for (int i = 0; i < steps; i++) {
                    long t0 = System.nanoTime();
                    step.run();
                    times[i] = (System.nanoTime() - t0) / 1e6;
                }
            }
            System.arraycopy(times, 0, all, r * steps, steps);
            repetitionMedians[r] = percentile(times, 50);
        }
        Arrays.sort(repetitionMedians);
        return new StepTiming(percentile(all, 50), percentile(all, 95), repetitionMedians[0], repetitionMedians[repeats - 1], steps, repeats);
    }

    static double percentile(double[] values, double p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
