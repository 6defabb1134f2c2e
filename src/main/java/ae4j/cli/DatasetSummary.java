package ae4j.cli;

import ae4j.data.FashionMnist;
import java.util.LinkedHashMap;
import java.util.Map;

/** The dataset's origin, split sizes, pixel range and class balance, as printed by {@code info}. */
record DatasetSummary(String origin, String path, boolean sample, int train, int validation, int test, double pixelMin, double pixelMax,
                      double pixelMean, Map<String, Integer> trainClassCounts) {

    static DatasetSummary of(FashionMnist data) {
        Map<String, Integer> classes = new LinkedHashMap<>();
        int[] counts = data.train().classCounts();
        for (int c = 0; c < counts.length; c++) {
            classes.put(FashionMnist.CLASS_NAMES.get(c), counts[c]);
        }
        return new DatasetSummary(data.source().origin().label, data.source().directory() == null ? null : data.source().directory().toString(),
                data.source().isSample(), data.train().size(), data.validation().size(), data.test().size(),
                data.train().images().minNumber().doubleValue(), data.train().images().maxNumber().doubleValue(),
                data.train().images().meanNumber().doubleValue(), classes);
    }

    void print() {
        System.out.printf("dataset              %s%s%n", origin, path == null ? "" : " (" + path + ")");
        System.out.printf("split                %,d train / %,d validation / %,d test, 28×28 pixels in [%.1f, %.1f], mean %.4f%n",
                train, validation, test, pixelMin, pixelMax, pixelMean);
        StringBuilder classes = new StringBuilder();
        trainClassCounts.forEach((name, n) -> classes.append(String.format("%s %,d  ", name, n)));
        System.out.printf("train classes        %s%n", classes.toString().trim());
    }
}
