package ae4j.cli;

import ae4j.bench.BenchReport;
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

    static void print(Map<String, BenchReport> reports, Map<String, String> unavailable) {
        List<String> columns = new ArrayList<>(reports.keySet());
        for (String name : columns) {
            BenchReport.Machine m = reports.get(name).machine();
            System.out.printf("%-14s %s, %s cores, %s backend%s%n", name, m.cpuModel(), m.cpuCores(), m.backend(),
                    m.gpus() != null && !m.gpus().isEmpty() ? ", " + m.gpus() : "");
        }
        unavailable.forEach((name, why) -> System.out.printf("%-14s unavailable: %s%n", name, why));
        Map<String, Map<String, BenchReport.Result>> rows = new LinkedHashMap<>();
        for (String name : columns) {
            for (BenchReport.Result r : reports.get(name).results()) {
                if (r.skipped() == null) {
                    String key = r.model() + " " + r.engine() + (r.threads() == null ? "" : "×" + r.threads()) + " " + r.batchSize();
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
        for (Map.Entry<String, Map<String, BenchReport.Result>> row : rows.entrySet()) {
            StringBuilder line = new StringBuilder(String.format("%-28s", row.getKey()));
            for (String c : header) {
                BenchReport.Result r = row.getValue().get(c);
                line.append(String.format(" %16s", r != null ? String.format("%.3f", r.msPerStepMedian())
                        : unavailable.containsKey(c) ? "unavailable" : "-"));
            }
            if (columns.size() == 2 && row.getValue().size() == 2) {
                double a = row.getValue().get(columns.get(0)).msPerStepMedian();
                double b = row.getValue().get(columns.get(1)).msPerStepMedian();
                line.append(String.format(" %11.2f×", a / b));
            }
            System.out.println(line);
        }
        if (columns.size() == 2) {
            System.out.println("(speed ratio > 1: " + columns.get(1) + " is faster)");
        }
    }
}
