package ae4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae4j.NativeKernelsBuilt;
import ae4j.backend.NativeCpu;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Pointers reach C++ only from live, c-order, contiguous arrays of the right shape; views work. */
class NativeKernelsTest {
    final NativeKernels kernels = new NativeKernels();

    @BeforeAll
    static void onlyWhereTheyWereBuilt() {
        NativeKernelsBuilt.assume();
    }

    @Test
    void theLibraryIsBuiltAndPicksTheBestGemmForThisCpu() {
        assertTrue(NativeCpu.isLoaded(), NativeCpu.loadProblem());
        assertEquals(NativeCpu.bestVariant(), NativeCpu.variant());
    }

    @Test
    void everyGemmVariantComputesTheSameProduct() {
        INDArray a = Nd4j.rand(DataType.FLOAT, 37, 53);
        INDArray b = Nd4j.rand(DataType.FLOAT, 53, 101);
        INDArray expected = a.mmul(b);
        try {
            for (int variant = 2; variant >= 0; variant--) {
                NativeCpu.limitVariant(variant);
                INDArray out = Nd4j.create(DataType.FLOAT, 37, 101);
                kernels.denseForward(out, a, b, false, Nd4j.zeros(DataType.FLOAT, 101), Activation.IDENTITY);
                assertTrue(expected.equalsWithEps(out, 1e-4), NativeCpu.variant() + " differs from ND4J");
            }
        } finally {
            NativeCpu.limitVariant(2);
        }
    }

    @Test
    void viewsOfAnArenaUseTheirOwnOffset() {
        INDArray arena = Nd4j.rand(DataType.FLOAT, 4 * 6 + 6 * 3 + 3 + 4 * 3);
        INDArray x = arena.get(NDArrayIndex.interval(0, 24)).reshape('c', 4, 6);
        INDArray w = arena.get(NDArrayIndex.interval(24, 42)).reshape('c', 6, 3);
        INDArray b = arena.get(NDArrayIndex.interval(42, 45));
        INDArray out = arena.get(NDArrayIndex.interval(45, 57)).reshape('c', 4, 3);
        INDArray expected = x.mmul(w).addiRowVector(b);
        kernels.denseForward(out, x, w, false, b, Activation.IDENTITY);
        assertTrue(expected.equalsWithEps(out, 1e-5));
    }

    @Test
    void nonContiguousOrForeignOrderArraysAreRefused() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 10);
        INDArray w = Nd4j.rand(DataType.FLOAT, 6, 3);
        INDArray b = Nd4j.zeros(DataType.FLOAT, 3);
        INDArray out = Nd4j.create(DataType.FLOAT, 4, 3);
        INDArray columns = x.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 6)); // rows are 10 apart
        String message = assertThrows(IllegalArgumentException.class,
                () -> kernels.denseForward(out, columns, w, false, b, Activation.SELU)).getMessage();
        assertTrue(message.contains("contiguous"), message);
        INDArray fOrder = Nd4j.rand(DataType.FLOAT, 'f', 4, 6);
        assertThrows(IllegalArgumentException.class, () -> kernels.denseForward(out, fOrder, w, false, b, Activation.SELU));
    }

    @Test
    void shapesAndTypesAreCheckedBeforeTheCall() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 6);
        INDArray out = Nd4j.create(DataType.FLOAT, 4, 3);
        INDArray b = Nd4j.zeros(DataType.FLOAT, 3);
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> kernels.denseForward(out, x, Nd4j.rand(DataType.FLOAT, 3, 6), false, b, Activation.IDENTITY))
                .getMessage().startsWith("W must be [6, 3]"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> kernels.denseForward(out, x, Nd4j.rand(DataType.DOUBLE, 6, 3), false, b, Activation.IDENTITY))
                .getMessage().contains("DOUBLE"));
        assertThrows(IllegalArgumentException.class,
                () -> kernels.gatherRows(Nd4j.create(DataType.FLOAT, 2, 6), x, new int[]{0, 4}, 0), "row 4 of 4");
    }

    @Test
    void arraysOfAClosedWorkspaceScopeAreRefused() {
        WorkspaceConfiguration config = WorkspaceConfiguration.builder().initialSize(1 << 20).build();
        INDArray leaked;
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(config, "native-test")) {
            leaked = Nd4j.rand(DataType.FLOAT, 4, 6);
        }
        INDArray out = Nd4j.create(DataType.FLOAT, 4, 3);
        String message = assertThrows(IllegalArgumentException.class, () -> kernels.denseForward(out, leaked,
                Nd4j.rand(DataType.FLOAT, 6, 3), false, Nd4j.zeros(DataType.FLOAT, 3), Activation.IDENTITY)).getMessage();
        assertTrue(message.contains("workspace scope that has ended"), message);
        INDArray closed = Nd4j.rand(DataType.FLOAT, 4, 6);
        closed.close();
        assertThrows(IllegalArgumentException.class, () -> kernels.denseForward(out, closed,
                Nd4j.rand(DataType.FLOAT, 6, 3), false, Nd4j.zeros(DataType.FLOAT, 3), Activation.IDENTITY));
    }
}
