package ae4j.data;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One label per row, stored as an index into {@link #names}, the distinct labels in sorted order (so the same
 * labels get the same codes whatever the row order).
 */
public record Labels(int[] codes, List<String> names) {
    public Labels {
        names = List.copyOf(names);
        for (int code : codes) {
            if (code < 0 || code >= names.size()) {
                throw new IllegalArgumentException("label code " + code + " outside 0.." + (names.size() - 1));
            }
        }
    }

    /** Codes for the given per-row strings. */
    public static Labels of(List<String> perRow) {
        Map<String, Integer> codeOf = new TreeMap<>();
        for (String label : perRow) {
            codeOf.put(label, 0);
        }
        int next = 0;
        for (Map.Entry<String, Integer> entry : codeOf.entrySet()) {
            entry.setValue(next++);
        }
        int[] codes = new int[perRow.size()];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = codeOf.get(perRow.get(i));
        }
        return new Labels(codes, List.copyOf(codeOf.keySet()));
    }

    public int size() {
        return codes.length;
    }

    /** The label of row {@code r}. */
    public String of(int r) {
        return names.get(codes[r]);
    }

    /** The labels of {@code rows}, in that order. */
    public Labels select(int[] rows) {
        int[] selected = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            selected[i] = codes[rows[i]];
        }
        return new Labels(selected, names);
    }
}
