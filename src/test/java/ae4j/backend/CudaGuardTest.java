package ae4j.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CudaGuardTest {
    static CudaGuard.Probe gpu(String name, int major, int minor) {
        return CudaGuard.Probe.of(List.of(new CudaGuard.Gpu(name, major, minor, 80L << 30)), 12040);
    }

    @Test
    void supportedGpusRunOnCuda() {
        for (int[] cc : new int[][]{{3, 7}, {7, 5}, {8, 0}, {8, 6}, {8, 9}}) {
            assertInstanceOf(CudaGuard.UseCuda.class, CudaGuard.decide(gpu("gpu", cc[0], cc[1]), false), cc[0] + "." + cc[1]);
        }
    }

    @Test
    void hopperIsRefusedInOneLineUnlessFallbackIsAllowed() {
        CudaGuard.Decision refused = CudaGuard.decide(gpu("NVIDIA H100 80GB HBM3", 9, 0), false);
        String message = assertInstanceOf(CudaGuard.Refuse.class, refused).message();
        assertTrue(message.contains("NVIDIA H100 80GB HBM3 has compute capability 9.0") && message.contains("--fallback-cpu"), message);
        assertTrue(!message.contains("\n"));

        CudaGuard.Decision fallback = CudaGuard.decide(gpu("NVIDIA H100 80GB HBM3", 9, 0), true);
        assertTrue(assertInstanceOf(CudaGuard.UseCpu.class, fallback).reason().contains("running on the CPU backend"));
        assertInstanceOf(CudaGuard.Refuse.class, CudaGuard.decide(gpu("B200", 10, 0), false));
        assertInstanceOf(CudaGuard.Refuse.class, CudaGuard.decide(gpu("K20", 3, 5), false), "older than ND4J's oldest cubin");
    }

    @Test
    void noDriverOrNoDeviceFallsBackToTheCpu() {
        CudaGuard.Decision noDriver = CudaGuard.decide(CudaGuard.Probe.unusable("libcuda.so.1: cannot open shared object file"), false);
        assertTrue(assertInstanceOf(CudaGuard.UseCpu.class, noDriver).reason().startsWith("no usable CUDA GPU (libcuda.so.1"));
        CudaGuard.Decision noDevice = CudaGuard.decide(CudaGuard.Probe.of(List.of(), 12040), false);
        assertTrue(assertInstanceOf(CudaGuard.UseCpu.class, noDevice).reason().contains("no CUDA device"));
    }

    @Test
    void cpuBuildNeverProbes() {
        assertEquals("cpu", BuildInfo.current().backend(), "the tests run on the cpu build");
        BackendBootstrap.prepare(null, false, new String[0]);
        BackendBootstrap.prepare("cpu", false, new String[0]);
    }
}
