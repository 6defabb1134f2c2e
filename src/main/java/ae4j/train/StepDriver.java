package ae4j.train;

import ae4j.data.EpochOrder;
import ae4j.engine.Resident;
import ae4j.engine.StepEngine;

/**
 * Training steps one at a time, exactly as {@link Model#fit} runs them (shuffled batches, the same engine), for
 * benchmarks that time single steps. Full batches only: the order wraps to a new epoch instead of running a short
 * last batch. Close it to release the resident data.
 */
public final class StepDriver implements AutoCloseable {
    private final StepEngine steps;
    private final Resident x;
    private final Resident y;
    private final int batchSize;
    private final EpochOrder order;
    private final AutoCloseable data;
    private int[] permutation;
    private int next;

    StepDriver(StepEngine steps, Resident x, Resident y, int batchSize, EpochOrder order, AutoCloseable data) {
        if (batchSize > x.rows()) {
            throw new IllegalArgumentException("batch size " + batchSize + " exceeds the " + x.rows() + " rows");
        }
        this.steps = steps;
        this.x = x;
        this.y = y;
        this.batchSize = batchSize;
        this.order = order;
        this.data = data;
        startEpoch();
    }

    private void startEpoch() {
        permutation = order.next();
        steps.beginEpoch(permutation);
        next = 0;
    }

    /** Runs one training step on the next batch. */
    public void step() {
        if (next + batchSize > permutation.length) {
            startEpoch();
        }
        steps.trainStep(x, y, next, batchSize);
        next += batchSize;
    }

    /** Waits until the steps issued so far have finished (the device's queue drained). */
    public void finish() {
        steps.synchronize();
    }

    @Override
    public void close() {
        try {
            data.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
