package ae4j.train;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Keras's {@code EarlyStopping}: stops when the monitored quantity (lower is better) has not improved by more than
 * {@code minDelta} for {@code patience} epochs; optionally puts back the best epoch's weights at the end.
 */
public final class EarlyStopping implements Callback {
    private final String monitor;
    private final int patience;
    private final double minDelta;
    private final boolean restoreBestWeights;
    private double best = Double.POSITIVE_INFINITY;
    private int wait;
    private INDArray bestWeights;
    private int stoppedEpoch;

    public EarlyStopping(String monitor, int patience, double minDelta, boolean restoreBestWeights) {
        this.monitor = monitor;
        this.patience = patience;
        this.minDelta = minDelta;
        this.restoreBestWeights = restoreBestWeights;
    }

    /** The epoch after which training was stopped, or 0. */
    public int stoppedEpoch() {
        return stoppedEpoch;
    }

    @Override
    public void onEpochEnd(TrainingLoop loop, EpochLog log) {
        double value = log.get(monitor);
        if (value < best - minDelta) {
            best = value;
            wait = 0;
            if (restoreBestWeights) {
                try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                    bestWeights = loop.model().params().dup();
                }
            }
        } else if (++wait >= patience) {
            stoppedEpoch = log.epoch();
            loop.stopTraining();
        }
    }

    @Override
    public void onTrainEnd(TrainingLoop loop) {
        if (restoreBestWeights && bestWeights != null && stoppedEpoch > 0) {
            loop.model().setParams(bestWeights);
        }
    }
}
