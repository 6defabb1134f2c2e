package ae4j.data;

import ch.randelshofer.fastdoubleparser.JavaFloatParser;
import de.siegmar.fastcsv.reader.AbstractBaseCsvCallbackHandler;
import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.reader.RecordWrapper;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.ZipException;

/**
 * CSV and TSV files of numbers, optionally gzip-compressed (told apart by content), read onto the heap.
 *
 * <p>Splitting is FastCSV's (RFC 4180 quoting): among the JVM's CSV libraries it is the fastest on published
 * benchmarks (github.com/osiegmar/JavaCsvComparison), several times commons-csv, and has no dependencies. Cells
 * are parsed by FastDoubleParser, a port of Lemire's fast_float: several times {@link Float#parseFloat}, with the
 * same result. FastCSV's callback API hands each cell over as a slice of its character buffer, which is parsed in
 * place, so that no cell becomes a String. Errors name the line as an editor numbers it (1-based) and the column.
 *
 * <p>An uncompressed file of at least two {@link #MIN_PART_BYTES parts} is read by several threads, each a part of
 * it that begins after a line feed. A line feed is between records unless a quoted field holds it, and a part
 * split inside such a field sees a quoted field that holds a line break (the part before it); so a part that sees
 * one, or meets any error, stops them all and the file is read again by one thread: that read alone reports
 * errors, at their exact lines. The values land in blocks of whole rows that become the matrix as they are, with
 * no final copy into one array (which would need the values' size twice on the heap at once).
 *
 * <p>{@link #blocks} reads a file by one thread and hands its rows over a block at a time, so that a file larger
 * than the heap is read in the memory of two blocks: the same parsing, errors and options as {@link #read}.
 */
public final class DelimitedText {
    private static final Set<String> NON_FINITE = Set.of("nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity",
            "+infinity", "-infinity");
    /** Values per block of rows: 4 MiB. */
    private static final int BLOCK_VALUES = 1 << 20;
    /** Values per block of rows handed over by {@link #blocks}: 1 MiB, small beside a small heap. */
    static final int STREAM_BLOCK_VALUES = 1 << 18;
    /** The smallest part a thread reads: smaller files are read by one thread. */
    static final long MIN_PART_BYTES = 8 << 20;
    /** Parts per thread, so that a thread slowed by other processes on a shared machine reads fewer of them. */
    private static final int PARTS_PER_THREAD = 4;

    private DelimitedText() {
    }

    /** Reads {@code file}, cells separated by {@code separator} (',' or '\t'), with a thread per core. */
    public static HeapFloatMatrix read(Path file, char separator, ReadOptions options) {
        return read(file, separator, options, Runtime.getRuntime().availableProcessors(), MIN_PART_BYTES).matrix();
    }

    /** The matrix, and how many parts of the file were read by threads: 1 when one thread read it whole. */
    record Reading(HeapFloatMatrix matrix, int parts) {
    }

    /** As above, with at most {@code threads} threads, each part at least {@code minPartBytes} long. */
    static Reading read(Path file, char separator, ReadOptions options, int threads, long minPartBytes) {
        String name = file.toString();
        try {
            Layout layout = layout(file, separator, options);
            List<Rows> parts = threads > 1 && !DataFiles.isGzip(file) ? inParts(file, separator, layout, threads, minPartBytes) : null;
            if (parts == null) {
                parts = List.of(whole(file, separator, layout));
            }
            return new Reading(matrix(layout, parts), parts.size());
        } catch (IOException | RuntimeException e) {
            throw failure(name, e);
        }
    }

    /** What reading the file {@code name} failed with, as the one-line error the user sees. */
    private static RuntimeException failure(String name, Exception e) {
        if (e instanceof ZipException || e instanceof UncheckedIOException u && u.getCause() instanceof ZipException) {
            return new InvalidDataException(name, "corrupt gzip data (" + (e.getCause() == null ? e : e.getCause()).getMessage() + ")");
        }
        if (e instanceof CsvParseException parse) {
            // FastCSV wraps whatever its callbacks throw
            if (parse.getCause() instanceof InvalidDataException ours) {
                return ours;
            }
            if (parse.getCause() instanceof OutOfMemoryError heap) {
                throw heap; // the command line says in one line how to raise the heap
            }
            return new InvalidDataException(name, "malformed CSV (" + parse.getMessage() + ")");
        }
        if (e instanceof IOException || e instanceof UncheckedIOException) {
            return new InvalidDataException(name, "cannot read (" + e.getMessage() + ")");
        }
        return (RuntimeException) e;
    }

    /**
     * Opens {@code file} to be read a block of rows at a time (see the class comment). The header, the columns and
     * the label column are resolved here, so that {@link RowBlocks#cols()} is known before any row is read.
     */
    public static RowBlocks blocks(Path file, char separator, ReadOptions options) {
        return blocks(file, separator, options, STREAM_BLOCK_VALUES);
    }

    /** As above, each block at most {@code blockValues} values (at least one row). */
    static RowBlocks blocks(Path file, char separator, ReadOptions options, int blockValues) {
        String name = file.toString();
        try {
            Layout layout = layout(file, separator, options);
            Rows rows = new Rows(layout, true, null, blockValues, true);
            return new RowBlocks(layout, rows, csv(separator, true).build(rows, DataFiles.decompressed(DataFiles.open(file)), StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            throw failure(name, e);
        }
    }

    /**
     * A file's rows in consecutive blocks, each a matrix of whole rows (with their labels when there is a label
     * column), read as they are asked for. Only the block being filled and the one handed over are held.
     */
    public static final class RowBlocks implements Iterator<HeapFloatMatrix>, AutoCloseable {
        private final Layout layout;
        private final Rows rows;
        private final CsvReader<HeapFloatMatrix> csv;
        private final Iterator<HeapFloatMatrix> full;
        private HeapFloatMatrix next;
        private boolean ended;
        private long handedOver;

        private RowBlocks(Layout layout, Rows rows, CsvReader<HeapFloatMatrix> csv) {
            this.layout = layout;
            this.rows = rows;
            this.csv = csv;
            this.full = csv.iterator();
        }

        public String source() {
            return layout.name();
        }

        /** The values of each row: the feature columns. */
        public int cols() {
            return layout.cols();
        }

        /** Whether the rows have labels, from the label column. */
        public boolean hasLabels() {
            return layout.labels();
        }

        @Override
        public boolean hasNext() {
            if (next == null && !ended) {
                try {
                    if (full.hasNext()) {
                        next = full.next();
                    } else {
                        ended = true;
                        next = rows.lastBlock();
                        if (handedOver == 0 && next == null) {
                            throw new InvalidDataException(layout.name(), "no data rows after the header");
                        }
                    }
                } catch (RuntimeException e) {
                    throw failure(layout.name(), e);
                }
            }
            return next != null;
        }

        @Override
        public HeapFloatMatrix next() {
            if (!hasNext()) {
                throw new java.util.NoSuchElementException();
            }
            HeapFloatMatrix block = next;
            next = null;
            handedOver += block.rows();
            return block;
        }

        @Override
        public void close() {
            try {
                csv.close();
            } catch (IOException e) {
                throw failure(layout.name(), e);
            }
        }
    }

    /**
     * What the first two records say: whether the first is a header, and where each column goes (their number is the
     * row width).
     *
     * @param slots per column of the file: its index in a row of values, {@link Rows#LABEL} or {@link Rows#SKIP}
     */
    private record Layout(String name, boolean header, List<String> names, long firstLine, int[] slots, int cols, boolean labels) {
    }

    private static CsvReader.CsvReaderBuilder csv(char separator, boolean startOfFile) {
        return CsvReader.builder().fieldSeparator(separator).skipEmptyLines(true).ignoreDifferentFieldCount(true).detectBomHeader(startOfFile);
    }

    private static Layout layout(Path file, char separator, ReadOptions options) throws IOException {
        String name = file.toString();
        try (CsvReader<CsvRecord> csv = csv(separator, true).ofCsvRecord(DataFiles.decompressed(DataFiles.open(file)), StandardCharsets.UTF_8)) {
            Iterator<CsvRecord> records = csv.iterator();
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
            int[] slots = new int[width];
            Arrays.fill(slots, Rows.SKIP);
            for (int i = 0; i < features.length; i++) {
                slots[features[i]] = i;
            }
            if (label >= 0) {
                slots[label] = Rows.LABEL;
            }
            return new Layout(name, hasHeader, names, first.getStartingLineNumber(), slots, features.length, label >= 0);
        }
    }

    /** The whole file by one thread. */
    private static Rows whole(Path file, char separator, Layout layout) throws IOException {
        Rows rows = new Rows(layout, true, null, BLOCK_VALUES, false);
        try (CsvReader<HeapFloatMatrix> csv = csv(separator, true).build(rows, DataFiles.decompressed(DataFiles.open(file)), StandardCharsets.UTF_8)) {
            readAll(csv);
        }
        return rows.finish();
    }

    /** Rows hands CsvReader no records (its buildRecord returns null), so asking for the first parses the whole input. */
    private static void readAll(CsvReader<HeapFloatMatrix> csv) {
        csv.iterator().hasNext();
    }

    /**
     * The file's parts, each read by one of {@code threads} threads; null when the file is too small to share, or
     * when a part could not vouch for its rows (see the class comment).
     */
    private static List<Rows> inParts(Path file, char separator, Layout layout, int threads, long minPartBytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long[] starts = partStarts(channel, (int) Math.min((long) threads * PARTS_PER_THREAD, channel.size() / minPartBytes));
            int parts = starts.length - 1;
            if (parts < 2) {
                return null;
            }
            AtomicBoolean abandoned = new AtomicBoolean();
            ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, parts), task -> {
                Thread thread = new Thread(task, "ae4j-csv");
                thread.setDaemon(true);
                return thread;
            });
            try {
                List<Future<Rows>> futures = new ArrayList<>();
                for (int p = 0; p < parts; p++) {
                    long from = starts[p];
                    long to = starts[p + 1];
                    boolean startOfFile = p == 0;
                    futures.add(pool.submit(() -> {
                        Rows rows = new Rows(layout, startOfFile, abandoned, BLOCK_VALUES, false);
                        try (CsvReader<HeapFloatMatrix> csv = csv(separator, startOfFile).build(rows, DataFiles.region(channel, from, to), StandardCharsets.UTF_8)) {
                            readAll(csv);
                        }
                        return rows.finish();
                    }));
                }
                List<Rows> read = new ArrayList<>();
                Error error = null;
                for (Future<Rows> future : futures) {
                    try {
                        read.add(future.get());
                    } catch (ExecutionException e) {
                        abandoned.set(true);
                        Throwable cause = e.getCause() instanceof CsvParseException wrapped && wrapped.getCause() != null ? wrapped.getCause() : e.getCause();
                        if (cause instanceof Error fatal && error == null) {
                            error = fatal; // out of memory: reading the file again would only run out again
                        }
                    }
                }
                if (error != null) {
                    throw error;
                }
                return abandoned.get() ? null : read;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading");
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** Where each of about {@code parts} parts of equal size begins: at 0, then each after a line feed; the file's size last. */
    private static long[] partStarts(FileChannel channel, int parts) throws IOException {
        long size = channel.size();
        List<Long> starts = new ArrayList<>(List.of(0L));
        ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
        for (int p = 1; p < parts; p++) {
            long start = afterLineFeed(channel, Math.max(starts.get(starts.size() - 1), p * size / parts), buffer);
            if (start < size) {
                starts.add(start);
            }
        }
        starts.add(size);
        return starts.stream().mapToLong(Long::longValue).toArray();
    }

    /** The position after the first line feed at or after {@code from}, or the file's size. */
    private static long afterLineFeed(FileChannel channel, long from, ByteBuffer buffer) throws IOException {
        for (long at = from; ; ) {
            buffer.clear();
            int n = channel.read(buffer, at);
            if (n < 0) {
                return channel.size();
            }
            for (int i = 0; i < n; i++) {
                if (buffer.get(i) == '\n') {
                    return at + i + 1;
                }
            }
            at += n;
        }
    }

    private static HeapFloatMatrix matrix(Layout layout, List<Rows> parts) {
        long rows = 0;
        List<float[]> blocks = new ArrayList<>();
        List<String> labels = layout.labels() ? new ArrayList<>() : null;
        for (Rows part : parts) {
            rows += part.count;
            blocks.addAll(part.blocks);
            if (labels != null) {
                labels.addAll(part.labels);
            }
        }
        if (rows == 0) {
            throw new InvalidDataException(layout.name(), "no data rows after the header");
        }
        if (rows * layout.cols() > HeapFloatMatrix.MAX_ELEMENTS) {
            throw tooMany(layout.name());
        }
        Labels perRow = labels == null ? null : Labels.of(labels);
        int[] shape = {layout.cols()};
        return layout.cols() == 0 ? new HeapFloatMatrix(layout.name(), new float[0], (int) rows, shape, perRow)
                : HeapFloatMatrix.ofBlocks(layout.name(), blocks, shape, perRow);
    }

    private static InvalidDataException tooMany(String name) {
        return new InvalidDataException(name, String.format("holds more than %,d values, more than one Java array; "
                + "convert it to .npy to read it mapped", HeapFloatMatrix.MAX_ELEMENTS));
    }

    /**
     * The rows of a file or of a part of one, parsed from FastCSV's buffer into blocks of whole rows. A cell's error
     * waits for the end of its record, so that a row with too few or too many cells is reported as such, and an
     * empty line is skipped, as they were when records were read whole. Read whole, it hands CsvReader no record;
     * streamed, each full block is a record.
     */
    private static final class Rows extends AbstractBaseCsvCallbackHandler<HeapFloatMatrix> {
        static final int SKIP = -1;
        static final int LABEL = -2;
        /** A part gives up: FastCSV wraps it, and it needs no stack trace. */
        private static final RuntimeException ABANDONED = new RuntimeException("a part of the file was abandoned", null, false, false) {
        };

        private final Layout layout;
        private final int[] slots;
        private final int cols;
        /** Null when reading a whole file, whose errors are reported; else set by the first part that gives up. */
        private final AtomicBoolean abandoned;
        /** Whether each full block is handed over (streamed) rather than kept. */
        private final boolean handsOver;
        private boolean headerPending;
        private boolean inHeader;
        private boolean lineBreakInQuotes;
        private final List<float[]> blocks = new ArrayList<>();
        private float[] block;
        /** Where the current row begins in the block. */
        private int at;
        private long count;
        private List<String> labels;
        private String label;
        private int badColumn;
        private String badText;

        Rows(Layout layout, boolean startOfFile, AtomicBoolean abandoned, int blockValues, boolean handsOver) {
            this.layout = layout;
            this.slots = layout.slots();
            this.cols = layout.cols();
            this.abandoned = abandoned;
            this.handsOver = handsOver;
            this.headerPending = startOfFile && layout.header();
            this.block = new float[Math.max(1, blockValues / Math.max(1, cols)) * cols];
            this.labels = layout.labels() ? new ArrayList<>() : null;
        }

        @Override
        protected void handleBegin(long startingLineNumber) {
            inHeader = headerPending;
            badColumn = -1;
        }

        @Override
        protected void handleField(int column, char[] buf, int offset, int length, boolean quoted) {
            if (quoted && abandoned != null && holdsLineBreak(buf, offset, length)) {
                lineBreakInQuotes = true;
            }
            if (inHeader || column >= slots.length) {
                return;
            }
            int slot = slots[column];
            if (slot >= 0) {
                float value;
                try {
                    value = JavaFloatParser.parseFloat(buf, offset, length);
                } catch (NumberFormatException e) {
                    value = Float.NaN;
                }
                block[at + slot] = Float.isFinite(value) ? value : stripped(new String(buf, offset, length), column);
            } else if (slot == LABEL) {
                label = new String(buf, offset, length).strip();
            }
        }

        /** A cell the fast path refused, again after String.strip (Unicode spaces too), as cells were read before; else the row's error. */
        private float stripped(String text, int column) {
            float value = finiteOrNaN(text);
            if (Float.isNaN(value) && badColumn < 0) {
                badColumn = column;
                badText = text;
            }
            return value;
        }

        private static boolean holdsLineBreak(char[] buf, int offset, int length) {
            for (int i = offset; i < offset + length; i++) {
                if (buf[i] == '\n' || buf[i] == '\r') {
                    return true;
                }
            }
            return false;
        }

        @Override
        protected RecordWrapper<HeapFloatMatrix> buildRecord() {
            if (lineBreakInQuotes) {
                abandon();
            }
            if (isEmptyLine()) {
                return null;
            }
            if (inHeader) {
                headerPending = false;
                return null;
            }
            if (getFieldCount() != slots.length) {
                fail(String.format("line %d has %d cells, but line %d has %d", getStartingLineNumber(), getFieldCount(), layout.firstLine(),
                        slots.length));
            }
            if (badColumn >= 0) {
                fail(where(layout, getStartingLineNumber(), badColumn) + ": " + problem(badText));
            }
            if (!handsOver && (count + 1) * cols > HeapFloatMatrix.MAX_ELEMENTS) {
                if (abandoned == null) {
                    throw tooMany(layout.name());
                }
                abandon();
            }
            if (labels != null) {
                labels.add(label);
            }
            count++;
            at += cols;
            if (at + cols > block.length && cols > 0) {
                if (handsOver) {
                    return wrapRecord(lastBlock());
                }
                blocks.add(block);
                block = new float[block.length];
                at = 0;
            }
            if (abandoned != null && abandoned.get()) {
                throw ABANDONED;
            }
            return null;
        }

        private void fail(String problem) {
            if (abandoned == null) {
                throw new InvalidDataException(layout.name(), problem);
            }
            abandon();
        }

        private void abandon() {
            abandoned.set(true);
            throw ABANDONED;
        }

        /** Streamed: the rows read since the last block was handed over, as a block; null when there are none. */
        HeapFloatMatrix lastBlock() {
            if (at == 0) {
                return null;
            }
            HeapFloatMatrix rows = new HeapFloatMatrix(layout.name(), at == block.length ? block : Arrays.copyOf(block, at), at / cols,
                    new int[]{cols}, labels == null ? null : Labels.of(labels));
            block = new float[block.length];
            at = 0;
            labels = labels == null ? null : new ArrayList<>();
            return rows;
        }

        /** Keeps the rows of the last, partly filled block. */
        Rows finish() {
            blocks.add(Arrays.copyOf(block, at));
            block = null;
            return this;
        }
    }

    /** The value of a cell, stripped; NaN when it is not a number or not finite. */
    private static float finiteOrNaN(String text) {
        try {
            float value = JavaFloatParser.parseFloat(text.strip());
            return Float.isFinite(value) ? value : Float.NaN;
        } catch (NumberFormatException e) {
            return Float.NaN;
        }
    }

    private static String problem(String text) {
        String stripped = text.strip();
        boolean parses;
        try {
            JavaFloatParser.parseFloat(stripped);
            parses = true;
        } catch (NumberFormatException e) {
            parses = false;
        }
        return (parses || NON_FINITE.contains(stripped.toLowerCase()) ? "NaN or infinity: \"" : "not a number: \"") + text + "\"";
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

    private static String where(Layout layout, long line, int column) {
        return "line " + line + ", column "
                + (layout.names() == null ? "index " + column : "\"" + layout.names().get(column) + "\" (index " + column + ")");
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
}
