package ae4j.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae4j.NativeKernelsBuilt;
import ae4j.UserInputException;
import org.junit.jupiter.api.Test;

/**
 * --kernels on the CPU backend of a machine without a GPU: auto takes the native kernels where they were built
 * and the ND4J ops elsewhere; native where they were not built is a usage error; nd4j is always the ND4J ops.
 */
class KernelChoiceTest {
    @Test
    void selectionOnTheCpuBackend() {
        assertEquals("nd4j", KernelChoice.select("nd4j").name());
        assertTrue(assertThrows(UserInputException.class, () -> KernelChoice.select("gpu")).getMessage().contains("auto, native or nd4j"));
        if (NativeKernelsBuilt.built()) {
            assertEquals("native", KernelChoice.select("auto").name());
            assertEquals("native", KernelChoice.select("native").name());
            assertTrue(KernelChoice.describeNative().startsWith("native CPU kernels loaded"));
        } else {
            assertEquals("nd4j", KernelChoice.select("auto").name());
            String message = assertThrows(UserInputException.class, () -> KernelChoice.select("native")).getMessage();
            assertTrue(message.contains("not available here") && message.contains("--kernels nd4j"), message);
            assertTrue(KernelChoice.describeNative().startsWith("not loaded"));
        }
    }
}
