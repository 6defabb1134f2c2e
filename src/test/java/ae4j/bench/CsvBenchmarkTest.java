package ae4j.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae4j.data.DataReader;
import ae4j.data.FloatMatrix;
import ae4j.data.ReadOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file bench csv generates. */
class CsvBenchmarkTest {
    @TempDir
    Path dir;

    @Test
    void valuesAreWrittenInPythonsReprLayout() {
        // repr() of these floats in Python 3, which pandas' to_csv writes
        assertEquals("1e-05", CsvBenchmark.pythonRepr(Double.toString(1e-5)));
        assertEquals("-1.5e-05", CsvBenchmark.pythonRepr(Double.toString(-1.5e-5)));
        assertEquals("0.00015", CsvBenchmark.pythonRepr(Double.toString(1.5e-4)));
        assertEquals("0.00123", CsvBenchmark.pythonRepr(Double.toString(0.00123)));
        assertEquals("12345678.0", CsvBenchmark.pythonRepr(Double.toString(12345678.0)));
        assertEquals("12345678.9", CsvBenchmark.pythonRepr(Double.toString(12345678.9)));
        assertEquals("1e+16", CsvBenchmark.pythonRepr(Double.toString(1e16)));
        assertEquals("1.2345e+20", CsvBenchmark.pythonRepr(Double.toString(1.2345e20)));
        assertEquals("3.0", CsvBenchmark.pythonRepr(Double.toString(3.0)));
        assertEquals("-269.1024", CsvBenchmark.pythonRepr(Float.toString(-269.1024f)));
        assertEquals("3.0471708e-07", CsvBenchmark.pythonRepr(Float.toString(3.0471708e-07f)));
        assertEquals("0.0", CsvBenchmark.pythonRepr(Double.toString(0.0)));
        for (double v : new double[] {1e-7, -2.5e-3, 0.1, 7.0, 123456.789, 9.87654321e15, -4.2e17}) {
            assertEquals(v, Double.parseDouble(CsvBenchmark.pythonRepr(Double.toString(v))), "the same number: " + v);
        }
    }

    @Test
    void theFileHasAHeaderAndItsSizeAndIsTheSameForASeed() throws IOException {
        Path a = dir.resolve("a.csv");
        Path b = dir.resolve("b.csv");
        Path other = dir.resolve("other.csv");
        CsvBenchmark.generate(a, 50_000, 7);
        CsvBenchmark.generate(b, 50_000, 7);
        CsvBenchmark.generate(other, 50_000, 8);
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        assertFalse(Files.readString(a).equals(Files.readString(other)), "another seed, other values");
        List<String> lines = Files.readAllLines(a);
        long size = Files.size(a);
        assertTrue(size >= 50_000 && size - lines.get(lines.size() - 1).length() - 1 < 50_000, "ends at the first whole row past the size: " + size);
        FloatMatrix m = DataReader.read(a, ReadOptions.DEFAULTS);
        assertEquals(lines.size() - 1, m.rows(), "the header is detected");
        assertEquals(CsvBenchmark.COLUMNS, m.cols());
        String all = Files.readString(a);
        assertTrue(all.contains("e-0") && all.contains("-"), "exponents and negative numbers");
        float largest = 0;
        float smallest = Float.MAX_VALUE;
        for (float v : m.toArray()) {
            largest = Math.max(largest, Math.abs(v));
            smallest = Math.min(smallest, v == 0 ? smallest : Math.abs(v));
        }
        assertTrue(largest > 1e5 && smallest < 1e-6, "magnitudes from 1e-6 to 1e6: " + smallest + " to " + largest);
    }
}
