package ae4j.cli;

import ae4j.data.FashionMnist;
import java.util.LinkedHashMap;
import java.util.Map;

/** The dataset's origin, split sizes, pixel range and class balance, as printed by {@code info} and {@code demo}. */
final class DatasetSummary {
    private DatasetSummary() {
    }

    static Map<String, Object> of(FashionMnist data) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("origin", data.source().origin().label);
        m.put("path", data.source().directory() == null ? null : data.source().directory().toString());
        m.put("sample", data.source().isSample());
        m.put("train", data.train().size());
        m.put("validation", data.validation().size());
        m.put("test", data.test().size());
        m.put("pixel_min", data.train().images().minNumber().doubleValue());
        m.put("pixel_max", data.train().images().maxNumber().doubleValue());
        m.put("pixel_mean", data.train().images().meanNumber().doubleValue());
        Map<String, Integer> classes = new LinkedHashMap<>();
        int[] counts = data.train().classCounts();
        for (int c = 0; c < counts.length; c++) {
            classes.put(FashionMnist.CLASS_NAMES.get(c), counts[c]);
        }
        m.put("train_class_counts", classes);
        return m;
    }

    @SuppressWarnings("unchecked")
    static void print(Map<String, Object> s) {
        System.out.printf("dataset              %s%s%n", s.get("origin"), s.get("path") == null ? "" : " (" + s.get("path") + ")");
        System.out.printf("split                %,d train / %,d validation / %,d test, 28×28 pixels in [%.1f, %.1f], mean %.4f%n",
                s.get("train"), s.get("validation"), s.get("test"), s.get("pixel_min"), s.get("pixel_max"), s.get("pixel_mean"));
        StringBuilder classes = new StringBuilder();
        ((Map<String, Integer>) s.get("train_class_counts")).forEach((name, n) -> classes.append(String.format("%s %,d  ", name, n)));
        System.out.printf("train classes        %s%n", classes.toString().trim());
    }
}
