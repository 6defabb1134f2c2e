package ae4j.experiments;

import java.util.Arrays;
import java.util.Comparator;

/**
 * How well scores rank the positive rows (anomalies) above the others, as scikit-learn computes it: the ROC AUC
 * ({@code roc_auc_score}) and the average precision ({@code average_precision_score}). Tied scores are one threshold:
 * a tie between a positive and a negative counts half in the AUC, and enters the precision whole.
 */
public final class Ranking {
    private Ranking() {
    }

    /**
     * The probability that a random positive scores above a random negative, a tie counting half: the Mann–Whitney
     * U of the positives' mid-ranks, equal to the area under scikit-learn's ROC curve.
     */
    public static double rocAuc(double[] scores, boolean[] positive) {
        check(scores, positive);
        Integer[] order = ascending(scores);
        double positiveRanks = 0;
        long positives = 0;
        for (int i = 0; i < order.length; ) {
            int j = i;
            while (j < order.length && scores[order[j]] == scores[order[i]]) {
                j++;
            }
            double midRank = (i + 1 + j) / 2.0;
            for (int k = i; k < j; k++) {
                if (positive[order[k]]) {
                    positiveRanks += midRank;
                    positives++;
                }
            }
            i = j;
        }
        long negatives = scores.length - positives;
        if (positives == 0 || negatives == 0) {
            throw new IllegalArgumentException("the ROC AUC needs positive and negative rows, not " + positives + " of " + scores.length);
        }
        return (positiveRanks - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    /**
     * scikit-learn's step-wise average precision: Σ (R_k − R_{k−1})·P_k over the distinct scores from the highest,
     * R_k and P_k the recall and precision of flagging every row that scores at least the k-th.
     */
    public static double averagePrecision(double[] scores, boolean[] positive) {
        check(scores, positive);
        long positives = 0;
        for (boolean p : positive) {
            positives += p ? 1 : 0;
        }
        if (positives == 0) {
            throw new IllegalArgumentException("the average precision needs positive rows");
        }
        Integer[] order = ascending(scores);
        double ap = 0;
        double recall = 0;
        long truePositives = 0;
        long flagged = 0;
        for (int i = order.length - 1; i >= 0; ) {
            int j = i;
            while (j >= 0 && scores[order[j]] == scores[order[i]]) {
                truePositives += positive[order[j]] ? 1 : 0;
                flagged++;
                j--;
            }
            double nextRecall = (double) truePositives / positives;
            ap += (nextRecall - recall) * truePositives / flagged;
            recall = nextRecall;
            i = j;
        }
        return ap;
    }

    private static Integer[] ascending(double[] scores) {
        Integer[] order = new Integer[scores.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
        return order;
    }

    private static void check(double[] scores, boolean[] positive) {
        if (scores.length != positive.length) {
            throw new IllegalArgumentException(scores.length + " scores for " + positive.length + " labels");
        }
        for (double s : scores) {
            if (Double.isNaN(s)) {
                throw new IllegalArgumentException("a score is NaN");
            }
        }
    }
}
