package ae4j.train;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Keras's {@code EarlyStopping}: stops when the monitored quantity (lower is better) has not improved by more than
 * {@code minDelta} for {@code patience} epochs; optionally, when it stopped training, puts back the best epoch's
 * weights at the end ({@code restore_best_weights}, as the book's Keras does: only when it stopped). Where Keras
 * counts from each fit's first epoch, this counts from the model's first, as fit continues its History: a resumed
 * model stops where it would have without the pause, and one that had already stopped trains no further. The best
 * epoch's weights are kept only for epochs this fit trained, the last epoch before it (the model's own weights), or
 * the epoch a caller hands over with {@link #resumingWithBest} (a run resumed from a file that kept them).
 */
public final class EarlyStopping implements Callback {
    private final String monitor;
    private final int patience;
    private final double minDelta;
    private final boolean restoreBestWeights;
    private double best = Double.POSITIVE_INFINITY;
    private int bestEpoch;
    private int wait;
    private INDArray bestWeights;
    private int stoppedEpoch;
    private int earlierBestEpoch;
    private INDArray earlierBestWeights;

    public EarlyStopping(String monitor, int patience, double minDelta, boolean restoreBestWeights) {
        this.monitor = monitor;
        this.patience = patience;
        this.minDelta = minDelta;
        this.restoreBestWeights = restoreBestWeights;
    }

    /**
     * The weights of epoch {@code epoch}, trained before this fit (a resumed run's best, kept in its file): the ones
     * put back if that epoch is still the best when training stops.
     */
    public EarlyStopping resumingWithBest(int epoch, INDArray weights) {
        earlierBestEpoch = epoch;
        earlierBestWeights = weights;
        return this;
    }

    /** The epoch after which training was stopped, or 0. */
    public int stoppedEpoch() {
        return stoppedEpoch;
    }

    /** The epoch with the best monitored value so far, counted from the model's first; 0 before any. */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** The best monitored value so far. */
    public double best() {
        return best;
    }

    /** The weights of {@link #bestEpoch()} when restoring and they are known, else null; read them, do not change them. */
    public INDArray bestWeights() {
        return bestWeights;
    }

    @Override
    public void onTrainBegin(TrainingLoop loop, FitParams params) {
        Model model = loop.model();
        best = Double.POSITIVE_INFINITY;
        bestEpoch = 0;
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
        if (restoreBestWeights && bestEpoch > 0) {
            if (bestEpoch == model.history().last().epoch()) {
                keepBest(model);
            } else if (bestEpoch == earlierBestEpoch) {
                bestWeights = detached(earlierBestWeights);
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
                keepBest(loop.model());
            }
        } else if (++wait >= patience) {
            stoppedEpoch = log.epoch();
            loop.stopTraining();
        }
    }

    /** The model's weights as the best's, into the same array from the second time on (no allocation per epoch). */
    private void keepBest(Model model) {
        if (bestWeights == null) {
            bestWeights = detached(model.params());
        } else {
            bestWeights.assign(model.params());
        }
    }

    private static INDArray detached(INDArray a) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return a.dup();
        }
    }

    /** Whether the epoch improves on the best so far, which it then becomes. */
    private boolean improves(EpochLog log) {
        double value = log.get(monitor);
        if (value < best - minDelta) {
            best = value;
            bestEpoch = log.epoch();
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
