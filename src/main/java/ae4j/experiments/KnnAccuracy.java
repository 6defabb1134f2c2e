package ae4j.experiments;

/**
 * How well a representation keeps the classes apart: leave-one-out k-nearest-neighbour classification accuracy
 * (Euclidean distance, majority vote, ties to the nearest neighbour's class), computed exactly.
 */
public final class KnnAccuracy {
    private KnnAccuracy() {
    }

    public static double of(double[][] points, byte[] labels, int k, int classes) {
        int n = points.length;
        int correct = 0;
        double[] bestDistance = new double[k];
        int[] bestLabel = new int[k];
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(bestDistance, Double.MAX_VALUE);
            for (int j = 0; j < n; j++) {
                if (j == i) {
                    continue;
                }
                double d = 0;
                for (int c = 0; c < points[i].length; c++) {
                    double diff = points[i][c] - points[j][c];
                    d += diff * diff;
                }
                if (d < bestDistance[k - 1]) {
                    int at = k - 1;
                    while (at > 0 && bestDistance[at - 1] > d) {
                        bestDistance[at] = bestDistance[at - 1];
                        bestLabel[at] = bestLabel[at - 1];
                        at--;
                    }
                    bestDistance[at] = d;
                    bestLabel[at] = labels[j];
                }
            }
            int[] votes = new int[classes];
            int winner = bestLabel[0];
            for (int m = 0; m < k; m++) {
                if (++votes[bestLabel[m]] > votes[winner]) {
                    winner = bestLabel[m];
                }
            }
            if (winner == labels[i]) {
                correct++;
            }
        }
        return correct / (double) n;
    }
}
