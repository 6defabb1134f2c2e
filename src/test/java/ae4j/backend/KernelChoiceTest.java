package ae4j.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae4j.UserInputException;
import org.junit.jupiter.api.Test;

/** --kernels on the CPU backend of a machine without a GPU: auto takes the native kernels, nd4j the ND4J ops. */
class KernelChoiceTest {
    @Test
    void selectionOnTheCpuBackend() {
        assertEquals("native", KernelChoice.select("auto").name());
        assertEquals("native", KernelChoice.select("native").name());
        assertEquals("nd4j", KernelChoice.select("nd4j").name());
        assertTrue(assertThrows(UserInputException.class, () -> KernelChoice.select("gpu")).getMessage().contains("auto, native or nd4j"));
        assertTrue(KernelChoice.describeNative().startsWith("native CPU kernels loaded"));
    }
}
