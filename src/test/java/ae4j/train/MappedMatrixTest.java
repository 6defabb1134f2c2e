package ae4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ae4j.UserInputException;
import ae4j.data.HeapFloatMatrix;
import ae4j.spec.Loss;
import ae4j.spec.Optimizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class MappedMatrixTest {
    @TempDir
    Path dir;

    private static HeapFloatMatrix heap(INDArray x) {
        return new HeapFloatMatrix("images", x.data().asFloat(), (int) x.rows(), new int[]{(int) x.columns()}, null);
    }

    @Test
    void holdsTheRowsAndDeletesItsFileWhenClosed() {
        INDArray x = TinyModels.images(300, 1);
        Path file = dir.resolve("rows.f32");
        try (MappedMatrix mapped = MappedMatrix.write(heap(x), file)) {
            assertEquals(300L * TinyModels.PIXELS * Float.BYTES, file.toFile().length());
            assertArrayEquals(new long[]{300, TinyModels.PIXELS}, mapped.array().shape());
            assertArrayEquals(x.data().asFloat(), mapped.array().data().asFloat());
            assertEquals(x.sumNumber().doubleValue(), mapped.array().sumNumber().doubleValue(), 1e-3);
        }
        assertFalse(Files.exists(file));
    }

    @Test
    void refusesAnExistingFileAndLeavesItAlone() throws Exception {
        Path file = Files.writeString(dir.resolve("mine.f32"), "not yours");
        assertThrows(UserInputException.class, () -> MappedMatrix.write(heap(TinyModels.images(10, 1)), file));
        assertEquals("not yours", Files.readString(file));
    }

    /** Training reads the mapping in place: the same History as from an ND4J array of the same rows. */
    @ParameterizedTest
    @MethodSource("ae4j.train.TestEngines#names")
    void trainsAsTheSameRowsInMemoryDo(String engineName) {
        INDArray x = TinyModels.images(400, 2);
        INDArray valid = TinyModels.images(64, 3);
        List<EpochLog> inMemory = fit(engineName, x, valid);
        try (MappedMatrix mapped = MappedMatrix.write(heap(x), dir.resolve("train.f32"));
             MappedMatrix mappedValid = MappedMatrix.write(heap(valid), dir.resolve("valid.f32"))) {
            List<EpochLog> fromFile = fit(engineName, mapped.array(), mappedValid.array());
            for (int e = 0; e < inMemory.size(); e++) {
                assertEquals(inMemory.get(e).get("loss"), fromFile.get(e).get("loss"), 0, "epoch " + (e + 1));
                assertEquals(inMemory.get(e).get("val_loss"), fromFile.get(e).get("val_loss"), 0, "epoch " + (e + 1));
            }
        }
    }

    private static List<EpochLog> fit(String engineName, INDArray x, INDArray valid) {
        Model model = TestEngines.create(engineName, DataType.FLOAT, 42).compile(TinyModels.stacked(), TinyModels.PIXELS,
                Loss.BINARY_CROSSENTROPY, new Optimizer.Sgd(1.0));
        return model.fit(x, x, 3, 32, valid, valid).epochs();
    }
}
