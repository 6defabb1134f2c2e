package ae4j.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Benchmark reports (checked by {@link BenchCommand#readReport}) in columns: one per backend or machine, one row per model × engine (× threads) × batch size. */
final class SideBySide {
    private SideBySide() {
    }

    @SuppressWarnings("unchecked")
    static void print(Map<String, Map<String, Object>> reports, Map<String, String> unavailable) {
        List<String> columns = new ArrayList<>(reports.keySet());
        for (String name : columns) {
            Map<String, Object> m = (Map<String, Object>) reports.get(name).get("machine");
            Object gpus = m.get("gpus");
            System.out.printf("%-14s %s, %s cores, %s backend%s%n", name, m.get("cpu_model"), m.get("cpu_cores"), m.get("backend"),
                    gpus instanceof List<?> l && !l.isEmpty() ? ", " + l : "");
        }
        unavailable.forEach((name, why) -> System.out.printf("%-14s unavailable: %s%n", name, why));
        Map<String, Map<String, Map<String, Object>>> rows = new LinkedHashMap<>();
        for (String name : columns) {
            for (Map<String, Object> r : (List<Map<String, Object>>) reports.get(name).get("results")) {
                if (!r.containsKey("skipped")) {
                    String key = r.get("model") + " " + r.get("engine") + (r.get("threads") == null ? "" : "×" + r.get("threads"))
                            + " " + r.get("batch_size");
                    rows.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(name, r);
                }
            }
        }
        Set<String> header = new LinkedHashSet<>(columns);
        header.addAll(unavailable.keySet());
        StringBuilder h = new StringBuilder(String.format("%n%-28s", "model engine batch"));
        header.forEach(c -> h.append(String.format(" %16s", c + " ms/step")));
        if (columns.size() == 2) {
            h.append(String.format(" %12s", "speed ratio"));
        }
        System.out.println(h);
        for (Map.Entry<String, Map<String, Map<String, Object>>> row : rows.entrySet()) {
            StringBuilder line = new StringBuilder(String.format("%-28s", row.getKey()));
            for (String c : header) {
                Map<String, Object> r = row.getValue().get(c);
                line.append(String.format(" %16s", r != null ? String.format("%.3f", median(r))
                        : unavailable.containsKey(c) ? "unavailable" : "-"));
            }
            if (columns.size() == 2 && row.getValue().size() == 2) {
                double a = median(row.getValue().get(columns.get(0)));
                double b = median(row.getValue().get(columns.get(1)));
                line.append(String.format(" %11.2f×", a / b));
            }
            System.out.println(line);
        }
        if (columns.size() == 2) {
            System.out.println("(speed ratio > 1: " + columns.get(1) + " is faster)");
        }
    }

    private static double median(Map<String, Object> result) {
        return ((Number) result.get("ms_per_step_median")).doubleValue();
    }
}
