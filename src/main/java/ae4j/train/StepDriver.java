package ae4j.train;

import ae4j.data.EpochOrder;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Training steps one at a time, exactly as {@link Model#fit} runs them (shuffled batches, the same buffers and
 * workspace), for benchmarks that time single steps. Full batches only: the order wraps to a new epoch instead of
 * running a short last batch.
 */
public final class StepDriver {
    private final Model model;
    private final INDArray x;
    private final INDArray y;
    private final StepBuffers buffers;
    private final EpochOrder order;
    private int[] permutation;
    private int next;

    StepDriver(Model model, INDArray x, INDArray y, int batchSize, EpochOrder order) {
        if (batchSize > x.rows()) {
            throw new IllegalArgumentException("batch size " + batchSize + " exceeds the " + x.rows() + " rows");
        }
        this.model = model;
        this.x = x;
        this.y = y;
        this.buffers = model.allocateBuffers(batchSize, x == y);
        this.order = order;
        this.permutation = order.next();
    }

    /** Runs one training step on the next batch. */
    public void step() {
        if (next + buffers.rows > permutation.length) {
            permutation = order.next();
            next = 0;
        }
        model.trainStep(buffers, x, y, permutation, next);
        next += buffers.rows;
    }
}
