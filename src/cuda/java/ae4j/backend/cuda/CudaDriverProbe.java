package ae4j.backend.cuda;

import static org.bytedeco.cuda.global.cudart.CUDA_SUCCESS;
import static org.bytedeco.cuda.global.cudart.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR;
import static org.bytedeco.cuda.global.cudart.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR;
import static org.bytedeco.cuda.global.cudart.cuDeviceGet;
import static org.bytedeco.cuda.global.cudart.cuDeviceGetAttribute;
import static org.bytedeco.cuda.global.cudart.cuDeviceGetCount;
import static org.bytedeco.cuda.global.cudart.cuDeviceGetName;
import static org.bytedeco.cuda.global.cudart.cuDeviceTotalMem;
import static org.bytedeco.cuda.global.cudart.cuDriverGetVersion;
import static org.bytedeco.cuda.global.cudart.cuInit;

import ae4j.backend.CudaGuard;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.SizeTPointer;

/**
 * Asks the CUDA driver, through JavaCPP's bindings and without ND4J, which GPUs this machine has and their compute
 * capability. Compiled only in the cuda profile; {@link ae4j.backend.BackendBootstrap} loads it by name.
 */
public final class CudaDriverProbe implements Supplier<CudaGuard.Probe> {
    @Override
    public CudaGuard.Probe get() {
        try {
            Loader.load(cudart.class);
        } catch (Throwable e) { // UnsatisfiedLinkError and friends: no driver or no CUDA 11 runtime
            return CudaGuard.Probe.unusable("CUDA libraries cannot be loaded: " + firstLine(e)
                    + "; install the NVIDIA driver and CUDA 11.6, or build with -Pcuda,cuda-redist");
        }
        int status = cuInit(0);
        if (status != CUDA_SUCCESS) {
            return CudaGuard.Probe.unusable("cuInit failed with CUDA error " + status);
        }
        int[] value = new int[1];
        cuDriverGetVersion(value);
        int driverVersion = value[0];
        cuDeviceGetCount(value);
        int count = value[0];
        List<CudaGuard.Gpu> gpus = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int[] device = new int[1];
            cuDeviceGet(device, i);
            byte[] name = new byte[256];
            cuDeviceGetName(name, name.length, device[0]);
            int[] major = new int[1];
            int[] minor = new int[1];
            cuDeviceGetAttribute(major, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device[0]);
            cuDeviceGetAttribute(minor, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device[0]);
            long memory;
            try (SizeTPointer bytes = new SizeTPointer(1)) {
                cuDeviceTotalMem(bytes, device[0]);
                memory = bytes.get();
            }
            gpus.add(new CudaGuard.Gpu(cString(name), major[0], minor[0], memory));
        }
        return CudaGuard.Probe.of(gpus, driverVersion);
    }

    private static String cString(byte[] bytes) {
        int n = 0;
        while (n < bytes.length && bytes[n] != 0) {
            n++;
        }
        return new String(bytes, 0, n, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** JavaCPP's message ends with the whole library path; the library's name is what helps. */
    private static String firstLine(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int cut = m.indexOf(" in java.library.path");
        return cut > 0 ? m.substring(0, cut) : m.lines().findFirst().orElse(m);
    }
}
