package ae4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DelimitedTextTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = name.endsWith(".gz") ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
            out.write(bytes);
        }
        return file;
    }

    private static String message(Path file, ReadOptions options) {
        return assertThrows(InvalidDataException.class, () -> DelimitedText.read(file, ',', options)).getMessage();
    }

    @Test
    void headerIsDetectedAndLabelColumnKeptOut() throws IOException {
        Path file = write("a.csv", "x,y,kind\n1,2.5,cat\n-3e2, 4 ,dog\n\n5,6,cat\n");
        HeapFloatMatrix m = DelimitedText.read(file, ',', ReadOptions.DEFAULTS.withLabelColumn("kind"));
        assertEquals(3, m.rows());
        assertEquals(2, m.cols());
        assertArrayEquals(new float[] {1, 2.5f, -300, 4, 5, 6}, m.toArray());
        Labels labels = m.labels().orElseThrow();
        assertEquals(List.of("cat", "dog"), labels.names());
        assertEquals("dog", labels.of(1));
    }

    @Test
    void noHeaderWhenTheFirstRowIsNumbersAndColumnsByIndex() throws IOException {
        Path file = write("b.tsv", "1\t2\t3\n4\t5\t6\n");
        HeapFloatMatrix all = DelimitedText.read(file, '\t', ReadOptions.DEFAULTS);
        assertEquals(2, all.rows());
        HeapFloatMatrix picked = DelimitedText.read(file, '\t', ReadOptions.DEFAULTS.withColumns(List.of("2", "0")));
        assertArrayEquals(new float[] {3, 1, 6, 4}, picked.toArray());
        assertTrue(picked.labels().isEmpty());
    }

    @Test
    void headerForcedEitherWayAndColumnsByName() throws IOException {
        Path file = write("c.csv.gz", "10,20,30\n1,2,3\n");
        assertEquals(2, DelimitedText.read(file, ',', ReadOptions.DEFAULTS).rows());
        HeapFloatMatrix forced = DelimitedText.read(file, ',', ReadOptions.DEFAULTS.withHeader(ReadOptions.Header.YES)
                .withColumns(List.of("30")));
        assertArrayEquals(new float[] {3}, forced.toArray()); // a header name wins over the index it looks like
        Path named = write("d.csv", "a,b\n1,2\n");
        assertEquals(named + ": line 1, column index 0: not a number: \"a\"",
                message(named, ReadOptions.DEFAULTS.withHeader(ReadOptions.Header.NO)));
        assertArrayEquals(new float[] {2}, DelimitedText.read(named, ',', ReadOptions.DEFAULTS.withColumns(List.of("b"))).toArray());
    }

    @Test
    void badInputsGetOneLineNamingFileLineAndColumn() throws IOException {
        Path text = write("t.csv", "a,b\n1,2\n3,abc\n");
        assertEquals(text + ": line 3, column \"b\" (index 1): not a number: \"abc\"", message(text, ReadOptions.DEFAULTS));
        Path ragged = write("r.csv", "1,2,3\n4,5,6\n7,8\n");
        assertEquals(ragged + ": line 3 has 2 cells, but line 1 has 3", message(ragged, ReadOptions.DEFAULTS));
        Path nan = write("n.csv", "1,2\n3,NaN\n");
        assertEquals(nan + ": line 2, column index 1: NaN or infinity: \"NaN\"", message(nan, ReadOptions.DEFAULTS));
        Path inf = write("i.csv", "1,2\n-inf,4\n");
        assertEquals(inf + ": line 2, column index 0: NaN or infinity: \"-inf\"", message(inf, ReadOptions.DEFAULTS));
        Path empty = write("e.csv", "");
        assertEquals(empty + ": empty file", message(empty, ReadOptions.DEFAULTS));
        Path headerOnly = write("h.csv", "a,b\n");
        assertEquals(headerOnly + ": no data rows after the header", message(headerOnly, ReadOptions.DEFAULTS));
        Path blank = write("blank.csv", "1,,3\n");
        assertEquals(blank + ": line 1, column index 1: not a number: \"\"", message(blank, ReadOptions.DEFAULTS.withHeader(ReadOptions.Header.NO)));
        Path named = write("u.csv", "a,b\n1,2\n");
        assertEquals(named + ": unknown column \"c\"; the columns are: a, b", message(named, ReadOptions.DEFAULTS.withColumns(List.of("c"))));
        assertEquals(named + ": column index 2 is out of range: the rows have 2 columns (indices 0 to 1)",
                message(named, ReadOptions.DEFAULTS.withLabelColumn("2")));
        Path headless = write("nh.csv", "1,2\n");
        assertEquals(headless + ": unknown column \"a\": the file has no header; give 0-based indices",
                message(headless, ReadOptions.DEFAULTS.withColumns(List.of("a"))));
    }

    @Test
    void quotedCellsAreSplitByTheLibrary() throws IOException {
        Path file = write("q.csv", "\"name, with comma\",v\n\"1\",2\n");
        HeapFloatMatrix m = DelimitedText.read(file, ',', ReadOptions.DEFAULTS);
        assertArrayEquals(new float[] {1, 2}, m.toArray());
    }

    private static DelimitedText.Reading read(Path file, ReadOptions options, int threads, long minPartBytes) {
        return DelimitedText.read(file, ',', options, threads, minPartBytes);
    }

    private static String message(Path file, int threads, long minPartBytes) {
        ReadOptions labelled = ReadOptions.DEFAULTS.withLabelColumn("kind");
        return assertThrows(InvalidDataException.class, () -> read(file, labelled, threads, minPartBytes)).getMessage();
    }

    /** 300 rows after a BOM and a header, CRLF line ends, empty lines, a label column. */
    private static String table(int rows) {
        StringBuilder text = new StringBuilder("\uFEFFa,b,kind\r\n");
        for (int r = 0; r < rows; r++) {
            text.append(r).append(',').append(-0.25 * r).append("e-1,").append(r % 3 == 0 ? "x" : "y").append("\r\n");
            if (r % 50 == 7) {
                text.append("\r\n");
            }
        }
        return text.toString();
    }

    @Test
    void partsReadByThreadsGiveWhatOneThreadReads() throws IOException {
        Path file = write("parts.csv", table(300));
        ReadOptions labelled = ReadOptions.DEFAULTS.withLabelColumn("kind");
        DelimitedText.Reading one = read(file, labelled, 1, 16);
        assertEquals(1, one.parts());
        assertEquals(300, one.matrix().rows());
        assertArrayEquals(new float[] {299, -0.25f * 299 / 10}, one.matrix().row(299));
        for (long minPart : new long[] {16, 97, 1000}) {
            DelimitedText.Reading parts = read(file, labelled, 3, minPart);
            assertTrue(parts.parts() > 1, minPart + " bytes a part: " + parts.parts() + " parts");
            assertArrayEquals(one.matrix().toArray(), parts.matrix().toArray());
            Labels expected = one.matrix().labels().orElseThrow();
            Labels got = parts.matrix().labels().orElseThrow();
            for (int r = 0; r < 300; r++) {
                assertEquals(expected.of(r), got.of(r));
            }
        }
        assertEquals(1, read(file, labelled, 3, 1 << 20).parts(), "a file under two parts is read by one thread");
    }

    @Test
    void anErrorInALaterPartIsReportedAtItsLineAsOneThreadReportsIt() throws IOException {
        String rows = table(300);
        String[] lines = rows.split("\r\n", -1);
        int bad = 250; // 0-based: line 251 of the file
        String[] cells = lines[bad].split(",");
        lines[bad] = cells[0] + ",abc," + cells[2];
        Path text = write("late.csv", String.join("\r\n", lines));
        String expected = text + ": line 251, column \"b\" (index 1): not a number: \"abc\"";
        assertEquals(expected, message(text, 1, 16));
        assertEquals(expected, message(text, 3, 16));
        assertEquals(expected, message(text, 2, 200));

        lines = rows.split("\r\n", -1);
        lines[bad] = cells[0] + "," + cells[1];
        Path ragged = write("ragged.csv", String.join("\r\n", lines));
        assertEquals(ragged + ": line 251 has 2 cells, but line 1 has 3", message(ragged, 3, 16));
        lines[bad] = cells[0] + ",inf," + cells[2];
        Path inf = write("inf.csv", String.join("\r\n", lines));
        assertEquals(inf + ": line 251, column \"b\" (index 1): NaN or infinity: \"inf\"", message(inf, 3, 16));
    }

    @Test
    void quotedLineBreaksAreReadByOneThreadWhereverTheSplitsFall() throws IOException {
        StringBuilder text = new StringBuilder("\"first\ncolumn\",b,kind\n");
        for (int r = 0; r < 120; r++) {
            text.append(r).append(",").append(r * 2).append(",").append(r % 20 == 5 ? "\"two\nlines, \"\"quoted\"\"\"" : "\"plain\"").append('\n');
        }
        Path file = write("quoted.csv", text.toString());
        ReadOptions labelled = ReadOptions.DEFAULTS.withLabelColumn("kind");
        HeapFloatMatrix one = read(file, labelled, 1, 16).matrix();
        assertEquals(120, one.rows());
        assertEquals("two\nlines, \"quoted\"", one.labels().orElseThrow().of(5));
        for (long minPart = 8; minPart < 400; minPart += 13) {
            DelimitedText.Reading parts = read(file, labelled, 2, minPart);
            assertEquals(1, parts.parts(), "a quoted line break: read again by one thread");
            assertArrayEquals(one.toArray(), parts.matrix().toArray());
            assertEquals("two\nlines, \"quoted\"", parts.matrix().labels().orElseThrow().of(105));
        }
        Path quotedLabels = write("quoted-labels.csv", text.toString().replace("\"two\nlines, \"\"quoted\"\"\"", "\"one line\"")
                .replace("\"first\ncolumn\"", "\"first column\""));
        DelimitedText.Reading parts = read(quotedLabels, labelled, 2, 64);
        assertTrue(parts.parts() > 1, "quoted cells without line breaks are still read in parts");
        assertEquals("one line", parts.matrix().labels().orElseThrow().of(105));
        assertArrayEquals(one.toArray(), parts.matrix().toArray());
    }

    @Test
    void aGzipFileIsReadByOneThread() throws IOException {
        Path plain = write("big.csv", table(300));
        Path gzip = write("big.csv.gz", table(300));
        ReadOptions labelled = ReadOptions.DEFAULTS.withLabelColumn("kind");
        DelimitedText.Reading whole = read(gzip, labelled, 3, 16);
        assertEquals(1, whole.parts());
        assertArrayEquals(read(plain, labelled, 3, 16).matrix().toArray(), whole.matrix().toArray());
    }

    /** Every block of {@code file} streamed {@code blockValues} values at a time, joined: its values and labels. */
    private static HeapFloatMatrix streamed(Path file, ReadOptions options, int blockValues, List<Integer> blockRows) {
        List<float[]> values = new java.util.ArrayList<>();
        List<String> labels = new java.util.ArrayList<>();
        int cols;
        try (DelimitedText.RowBlocks blocks = DelimitedText.blocks(file, ',', options, blockValues)) {
            cols = blocks.cols();
            while (blocks.hasNext()) {
                HeapFloatMatrix block = blocks.next();
                assertTrue(block.rows() * cols <= Math.max(cols, blockValues), block.rows() + " rows in a block of " + blockValues + " values");
                blockRows.add((int) block.rows());
                values.add(block.toArray());
                block.labels().ifPresent(l -> java.util.stream.IntStream.range(0, l.size()).forEach(r -> labels.add(l.of(r))));
            }
        }
        return HeapFloatMatrix.ofBlocks(file.toString(), values, new int[] {cols}, options.labelColumn() == null ? null : Labels.of(labels));
    }

    @Test
    void streamedBlocksHoldWhatReadGives() throws IOException {
        ReadOptions labelled = ReadOptions.DEFAULTS.withLabelColumn("kind");
        for (String name : new String[] {"stream.csv", "stream.csv.gz"}) {
            Path file = write(name, table(300));
            HeapFloatMatrix whole = DelimitedText.read(file, ',', labelled);
            for (int blockValues : new int[] {1, 2, 14, 600, 1 << 18}) {
                List<Integer> blockRows = new java.util.ArrayList<>();
                HeapFloatMatrix joined = streamed(file, labelled, blockValues, blockRows);
                assertEquals(300, blockRows.stream().mapToInt(Integer::intValue).sum());
                assertEquals(Math.max(1, blockValues / 2) >= 300 ? 1 : (300 + Math.max(1, blockValues / 2) - 1) / Math.max(1, blockValues / 2),
                        blockRows.size(), name + ", blocks of " + blockValues + " values");
                assertArrayEquals(whole.toArray(), joined.toArray());
                Labels expected = whole.labels().orElseThrow();
                Labels got = joined.labels().orElseThrow();
                for (int r = 0; r < 300; r++) {
                    assertEquals(expected.of(r), got.of(r), "label of row " + r);
                }
            }
        }
        Path file = write("columns.csv", table(40));
        ReadOptions chosen = ReadOptions.DEFAULTS.withColumns(List.of("b"));
        assertArrayEquals(DelimitedText.read(file, ',', chosen).toArray(), streamed(file, chosen, 7, new java.util.ArrayList<>()).toArray());
    }

    @Test
    void aStreamedErrorDeepInTheFileNamesItsLineAndColumn() throws IOException {
        String[] lines = table(300).split("\r\n", -1);
        String[] cells = lines[250].split(",");
        lines[250] = cells[0] + ",abc," + cells[2];
        ReadOptions labelled = ReadOptions.DEFAULTS.withLabelColumn("kind");
        for (String name : new String[] {"late.csv", "late.csv.gz"}) {
            Path file = write(name, String.join("\r\n", lines));
            int[] rowsBefore = {0};
            InvalidDataException error = assertThrows(InvalidDataException.class, () -> {
                try (DelimitedText.RowBlocks blocks = DelimitedText.blocks(file, ',', labelled, 20)) {
                    while (blocks.hasNext()) {
                        rowsBefore[0] += (int) blocks.next().rows();
                    }
                }
            });
            assertEquals(file + ": line 251, column \"b\" (index 1): not a number: \"abc\"", error.getMessage());
            assertEquals(message(file, labelled), error.getMessage(), "the same line as read gives");
            assertTrue(rowsBefore[0] > 200, "blocks before the bad row were handed over: " + rowsBefore[0]);
        }
        Path empty = write("header-only.csv", "a,b\n");
        assertEquals(empty + ": no data rows after the header",
                assertThrows(InvalidDataException.class, () -> streamed(empty, ReadOptions.DEFAULTS.withHeader(ReadOptions.Header.YES), 8,
                        new java.util.ArrayList<>())).getMessage());
    }
}
