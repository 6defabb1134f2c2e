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
}
