package ae4j.experiments;

/**
 * How active a sigmoid coding layer is over a set of images (the book's figures 17-10 and 17-11): the mean of all
 * its activations, and the share of activations and of units' mean activations in each tenth of [0, 1].
 */
public record CodingActivity(int units, int images, double meanActivation, double[] activationShares, double[] unitMeanShares) {
    public static final int BINS = 10;

    /** From the codings, one row per image. */
    public static CodingActivity of(float[][] codings) {
        int images = codings.length;
        int units = codings[0].length;
        double[] unitMeans = new double[units];
        double[] activationShares = new double[BINS];
        double total = 0;
        for (float[] row : codings) {
            for (int j = 0; j < units; j++) {
                unitMeans[j] += row[j];
                total += row[j];
                activationShares[bin(row[j])] += 1.0 / ((double) images * units);
            }
        }
        double[] unitMeanShares = new double[BINS];
        for (int j = 0; j < units; j++) {
            unitMeans[j] /= images;
            unitMeanShares[bin(unitMeans[j])] += 1.0 / units;
        }
        return new CodingActivity(units, images, total / ((double) images * units), activationShares, unitMeanShares);
    }

    /** numpy.histogram's bins over [0, 1]: [i/10, (i+1)/10), the last one closed. */
    private static int bin(double v) {
        return Math.max(0, Math.min(BINS - 1, (int) Math.floor(v * BINS)));
    }
}
