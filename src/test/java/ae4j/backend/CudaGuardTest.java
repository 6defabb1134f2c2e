package ae4j.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** How a CUDA build uses a GPU: ND4J's CUDA backend on 3.7–8.9, ae4j's CUDA engine on 7.0+ when asked and on 9.0+. */
class CudaGuardTest {
    static CudaGuard.Probe gpu(String name, int major, int minor) {
        return CudaGuard.Probe.of(List.of(new CudaGuard.Gpu(name, major, minor, 80L << 30)), 12040);
    }

    @Test
    void gpusNd4jSupportsRunOnItsCudaBackend() {
        for (int[] cc : new int[][]{{3, 7}, {7, 5}, {8, 0}, {8, 6}, {8, 9}}) {
            assertInstanceOf(CudaGuard.UseNd4jCuda.class, CudaGuard.decide(gpu("gpu", cc[0], cc[1]), false, false), cc[0] + "." + cc[1]);
        }
    }

    @Test
    void hopperAndBlackwellTrainOnTheCudaEngineWithNd4jOnTheCpu() {
        for (int[] cc : new int[][]{{9, 0}, {10, 0}, {12, 0}}) {
            CudaGuard.UseCudaEngine d = assertInstanceOf(CudaGuard.UseCudaEngine.class,
                    CudaGuard.decide(gpu("NVIDIA H200", cc[0], cc[1]), false, false), cc[0] + "." + cc[1]);
            assertTrue(d.reason().contains("compute capability " + cc[0] + "." + cc[1]) && d.reason().contains("no CUDA kernels"), d.reason());
        }
    }

    @Test
    void theCudaEngineCanBeAskedForFromVoltaOn() {
        assertInstanceOf(CudaGuard.UseCudaEngine.class, CudaGuard.decide(gpu("A100", 8, 0), false, true));
        assertInstanceOf(CudaGuard.UseCudaEngine.class, CudaGuard.decide(gpu("V100", 7, 0), false, true));
        String message = assertInstanceOf(CudaGuard.Refuse.class, CudaGuard.decide(gpu("P100", 6, 0), false, true)).message();
        assertTrue(message.contains("needs 7.0") && message.contains("--fallback-cpu") && !message.contains("\n"), message);
        assertInstanceOf(CudaGuard.UseCpu.class, CudaGuard.decide(gpu("P100", 6, 0), true, true));
    }

    @Test
    void tooOldForEitherIsRefusedInOneLineUnlessFallbackIsAllowed() {
        String message = assertInstanceOf(CudaGuard.Refuse.class, CudaGuard.decide(gpu("K20", 3, 5), false, false)).message();
        assertTrue(message.contains("K20 has compute capability 3.5") && message.contains("--fallback-cpu") && !message.contains("\n"), message);
        assertTrue(assertInstanceOf(CudaGuard.UseCpu.class, CudaGuard.decide(gpu("K20", 3, 5), true, false)).reason()
                .contains("running on the CPU backend"));
    }

    @Test
    void noDriverOrNoDeviceFallsBackToTheCpu() {
        CudaGuard.Decision noDriver = CudaGuard.decide(CudaGuard.Probe.unusable("libcuda.so.1: cannot open shared object file"), false, false);
        assertTrue(assertInstanceOf(CudaGuard.UseCpu.class, noDriver).reason().startsWith("no usable CUDA GPU (libcuda.so.1"));
        CudaGuard.Decision noDevice = CudaGuard.decide(CudaGuard.Probe.of(List.of(), 12040), false, true);
        assertTrue(assertInstanceOf(CudaGuard.UseCpu.class, noDevice).reason().contains("no CUDA device"));
    }

    @Test
    void cpuBuildNeverProbes() {
        assertEquals("cpu", BuildInfo.current().backend(), "the tests run on the cpu build");
        AtomicInteger probes = new AtomicInteger();
        BackendBootstrap.prepare(null, false, null, new String[0], () -> {
            probes.incrementAndGet();
            return gpu("H200", 9, 0);
        });
        BackendBootstrap.prepare("cpu", false, "cuda", new String[0], () -> {
            probes.incrementAndGet();
            return gpu("H200", 9, 0);
        });
        assertEquals(0, probes.get(), "the driver was probed on the cpu build");
    }
}
