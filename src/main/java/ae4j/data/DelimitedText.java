package ae4j.data;

import ch.randelshofer.fastdoubleparser.JavaFloatParser;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.reader.CsvParseException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipException;

/**
 * CSV and TSV files of numbers, optionally gzip-compressed (told apart by content), read onto the heap.
 *
 * <p>Splitting is FastCSV's (RFC 4180 quoting): among the JVM's CSV libraries it is the fastest on published
 * benchmarks (github.com/osiegmar/JavaCsvComparison), several times commons-csv, and has no dependencies. Cells
 * are parsed by FastDoubleParser, a port of Lemire's fast_float: several times {@link Float#parseFloat}, with the
 * same result. Errors name the line as an editor numbers it (1-based) and the column.
 */
public final class DelimitedText {
    private static final Set<String> NON_FINITE = Set.of("nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity",
            "+infinity", "-infinity");

    private DelimitedText() {
    }

    /** Reads {@code file}, cells separated by {@code separator} (',' or '\t'). */
    public static HeapFloatMatrix read(Path file, char separator, ReadOptions options) {
        String name = file.toString();
        try (InputStream in = DataFiles.decompressed(DataFiles.open(file));
             CsvReader<CsvRecord> csv = CsvReader.builder().fieldSeparator(separator).skipEmptyLines(true)
                     .ignoreDifferentFieldCount(true).detectBomHeader(true).ofCsvRecord(in, StandardCharsets.UTF_8)) {
            return parse(name, csv.iterator(), options);
        } catch (ZipException e) {
            throw new InvalidDataException(name, "corrupt gzip data (" + e.getMessage() + ")");
        } catch (CsvParseException e) {
            throw new InvalidDataException(name, "malformed CSV (" + e.getMessage() + ")");
        } catch (IOException | UncheckedIOException e) {
            throw new InvalidDataException(name, "cannot read (" + e.getMessage() + ")");
        }
    }

    private static HeapFloatMatrix parse(String name, Iterator<CsvRecord> records, ReadOptions options) {
        if (!records.hasNext()) {
            throw new InvalidDataException(name, "empty file");
        }
        CsvRecord first = records.next();
        CsvRecord second = records.hasNext() ? records.next() : null;
        boolean hasHeader = switch (options.header()) {
            case YES -> true;
            case NO -> false;
            case AUTO -> looksLikeHeader(first, second);
        };
        List<String> names = hasHeader ? first.getFields() : null;
        int width = first.getFieldCount();
        int label = options.labelColumn() == null ? -1 : resolve(name, options.labelColumn(), names, width);
        int[] features = features(name, options.columns(), label, names, width);

        FloatArray values = new FloatArray(name);
        List<String> labels = label < 0 ? null : new ArrayList<>();
        int rows = 0;
        for (CsvRecord record = hasHeader ? second : first; record != null;
             record = record == first ? second : records.hasNext() ? records.next() : null) {
            if (record.getFieldCount() != width) {
                throw new InvalidDataException(name, String.format("line %d has %d cells, but line %d has %d",
                        record.getStartingLineNumber(), record.getFieldCount(), first.getStartingLineNumber(), width));
            }
            for (int column : features) {
                values.add(cell(name, record, column, names));
            }
            if (labels != null) {
                labels.add(record.getField(label).strip());
            }
            rows++;
        }
        if (rows == 0) {
            throw new InvalidDataException(name, "no data rows after the header");
        }
        return new HeapFloatMatrix(name, values.toArray(), rows, new int[] {features.length},
                labels == null ? null : Labels.of(labels));
    }

    /** A header when some cell of the first row is not a number where the second row's is (or, alone, any is not). */
    private static boolean looksLikeHeader(CsvRecord first, CsvRecord second) {
        for (int i = 0; i < first.getFieldCount(); i++) {
            if (!isNumber(first.getField(i)) && (second == null || i < second.getFieldCount() && isNumber(second.getField(i)))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isNumber(String cell) {
        try {
            JavaFloatParser.parseFloat(cell.strip());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static float cell(String name, CsvRecord record, int column, List<String> names) {
        String text = record.getField(column);
        float value;
        try {
            value = JavaFloatParser.parseFloat(text.strip());
        } catch (NumberFormatException e) {
            throw new InvalidDataException(name, where(record, column, names) + ": "
                    + (NON_FINITE.contains(text.strip().toLowerCase()) ? "NaN or infinity: \"" + text + "\"" : "not a number: \"" + text + "\""));
        }
        if (!Float.isFinite(value)) {
            throw new InvalidDataException(name, where(record, column, names) + ": NaN or infinity: \"" + text + "\"");
        }
        return value;
    }

    private static String where(CsvRecord record, int column, List<String> names) {
        return "line " + record.getStartingLineNumber() + ", column "
                + (names == null ? "index " + column : "\"" + names.get(column) + "\" (index " + column + ")");
    }

    private static int[] features(String name, List<String> columns, int label, List<String> names, int width) {
        if (columns == null) {
            return java.util.stream.IntStream.range(0, width).filter(c -> c != label).toArray();
        }
        int[] chosen = new int[columns.size()];
        for (int i = 0; i < chosen.length; i++) {
            chosen[i] = resolve(name, columns.get(i), names, width);
            if (chosen[i] == label) {
                throw new InvalidDataException(name, "column " + columns.get(i) + " is the label column; it cannot be a feature too");
            }
        }
        if (Arrays.stream(chosen).distinct().count() < chosen.length) {
            throw new InvalidDataException(name, "a column is selected twice: " + String.join(",", columns));
        }
        return chosen;
    }

    /** A column by header name, else by 0-based index. */
    private static int resolve(String name, String column, List<String> names, int width) {
        String token = column.strip();
        for (int i = 0; names != null && i < names.size(); i++) {
            if (names.get(i).strip().equals(token)) {
                return i;
            }
        }
        if (token.matches("\\d{1,9}")) {
            int index = Integer.parseInt(token);
            if (index >= width) {
                throw new InvalidDataException(name, "column index " + index + " is out of range: the rows have " + width
                        + " columns (indices 0 to " + (width - 1) + ")");
            }
            return index;
        }
        if (names == null) {
            throw new InvalidDataException(name, "unknown column \"" + token + "\": the file has no header; give 0-based indices");
        }
        throw new InvalidDataException(name, "unknown column \"" + token + "\"; the columns are: " + String.join(", ", names));
    }

    /** A growing float[], bounded by what one Java array holds. */
    private static final class FloatArray {
        private final String name;
        private float[] values = new float[1 << 12];
        private int size;

        FloatArray(String name) {
            this.name = name;
        }

        void add(float v) {
            if (size == values.length) {
                if (size == HeapFloatMatrix.MAX_ELEMENTS) {
                    throw new InvalidDataException(name, String.format("holds more than %,d values, more than one Java array; "
                            + "convert it to .npy to read it mapped", HeapFloatMatrix.MAX_ELEMENTS));
                }
                values = Arrays.copyOf(values, (int) Math.min((long) size * 2, HeapFloatMatrix.MAX_ELEMENTS));
            }
            values[size++] = v;
        }

        float[] toArray() {
            return size == values.length ? values : Arrays.copyOf(values, size);
        }
    }
}
