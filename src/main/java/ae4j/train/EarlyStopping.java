package ae4j.train;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Keras's {@code EarlyStopping}: stops when the monitored quantity (lower is better) has not improved by more than
 * {@code minDelta} for {@code patience} epochs; optionally puts back the best epoch's weights at the end (those of
 * an epoch this fit trained). Where Keras counts from each fit's first epoch, this counts from the model's first,
 * as fit continues its History: a resumed model stops where it would have without the pause, and one that had
 * already stopped trains no further.
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
    public void onTrainBegin(TrainingLoop loop, FitParams params) {
        Model model = loop.model();
        best = Double.POSITIVE_INFINITY;
        wait = 0;
        bestWeights = null;
        stoppedEpoch = 0;
        for (EpochLog log : model.history().epochs()) {
            if (improves(log)) {
                wait = 0;
            } else {
                wait++;
            }
        }
        if (wait > 0 && wait >= patience) {
            stoppedEpoch = model.history().last().epoch();
            loop.stopTraining();
        }
    }

    @Override
    public void onEpochEnd(TrainingLoop loop, EpochLog log) {
        if (improves(log)) {
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

    /** Whether the epoch improves on the best so far, which it then becomes. */
    private boolean improves(EpochLog log) {
        double value = log.get(monitor);
        if (value < best - minDelta) {
            best = value;
            return true;
        }
        return false;
    }

    @Override
    public void onTrainEnd(TrainingLoop loop) {
        if (restoreBestWeights && bestWeights != null && stoppedEpoch > 0) {
            loop.model().setParams(bestWeights);
        }
    }
}
