package ae4j.nn.cuda;

import static org.bytedeco.cuda.global.cudart.CUDA_SUCCESS;
import static org.bytedeco.cuda.global.cudart.cuLaunchKernel;
import static org.bytedeco.cuda.global.cudart.cuModuleGetFunction;
import static org.bytedeco.cuda.global.cudart.cuModuleLoadData;
import static org.bytedeco.cuda.global.cudart.cudaFree;
import static org.bytedeco.cuda.global.nvrtc.NVRTC_SUCCESS;
import static org.bytedeco.cuda.global.nvrtc.nvrtcCompileProgram;
import static org.bytedeco.cuda.global.nvrtc.nvrtcCreateProgram;
import static org.bytedeco.cuda.global.nvrtc.nvrtcDestroyProgram;
import static org.bytedeco.cuda.global.nvrtc.nvrtcGetErrorString;
import static org.bytedeco.cuda.global.nvrtc.nvrtcGetPTX;
import static org.bytedeco.cuda.global.nvrtc.nvrtcGetPTXSize;
import static org.bytedeco.cuda.global.nvrtc.nvrtcGetProgramLog;
import static org.bytedeco.cuda.global.nvrtc.nvrtcGetProgramLogSize;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.cuda.cudart.CUfunc_st;
import org.bytedeco.cuda.cudart.CUmod_st;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.nvrtc._nvrtcProgram;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;
import org.nd4j.linalg.jcublas.context.CudaContext;

/**
 * The device kernels, compiled once per process at run time by NVRTC from the sources packed in the jar
 * ({@code ae4j_kernels.cu} and {@code ae4j_kernels.h}) to compute_80 PTX, which the driver compiles for the GPU at
 * hand — Ampere, Ada, and also Hopper (sm_90), where ND4J's own prebuilt kernels cannot run. Only the driver API
 * is used, so no second CUDA runtime is loaded beside ND4J's.
 * Kernels are launched by name; their arguments are boxed into native slots that are reused, call after call.
 */
final class CudaModule {
    private static final String RESOURCES = "/ae4j/cuda/";
    private static final List<String> KERNELS = List.of("ae4j_bias_act_forward", "ae4j_softmax_rows", "ae4j_act_backward",
            "ae4j_softmax_backward_rows", "ae4j_bias_grad", "ae4j_loss", "ae4j_gather_rows", "ae4j_sgd_step", "ae4j_adam_step",
            "ae4j_nadam_step");
    private static CudaModule instance;

    private final Map<String, CUfunc_st> functions = new HashMap<>();
    private final Map<String, Slots> slots = new HashMap<>();

    /** The compiled module; compiled on first use. Throws IllegalStateException with NVRTC's log if it cannot be. */
    static synchronized CudaModule get() {
        if (instance == null) {
            instance = new CudaModule();
        }
        return instance;
    }

    private CudaModule() {
        cudaFree(null); // makes ND4J's device context current on this thread
        byte[] ptx = compile(resource("ae4j_kernels.cu"), resource("ae4j_kernels.h"));
        CUmod_st module = new CUmod_st();
        check(cuModuleLoadData(module, new BytePointer(ptx)), "cuModuleLoadData");
        for (String name : KERNELS) {
            CUfunc_st function = new CUfunc_st();
            check(cuModuleGetFunction(function, module, name), "cuModuleGetFunction " + name);
            functions.put(name, function);
        }
    }

    private static byte[] compile(String source, String header) {
        _nvrtcProgram program = new _nvrtcProgram();
        checkNvrtc(nvrtcCreateProgram(program, new BytePointer(source), new BytePointer("ae4j_kernels.cu"), 1,
                new PointerPointer<>(new BytePointer(header)), new PointerPointer<>(new BytePointer("ae4j_kernels.h"))), program, "create");
        try {
            PointerPointer<BytePointer> options = new PointerPointer<>(new BytePointer("--gpu-architecture=compute_80"),
                    new BytePointer("--std=c++17"));
            checkNvrtc(nvrtcCompileProgram(program, 2, options), program, "compile");
            SizeTPointer size = new SizeTPointer(1);
            nvrtcGetPTXSize(program, size);
            BytePointer ptx = new BytePointer(size.get());
            nvrtcGetPTX(program, ptx);
            byte[] bytes = new byte[(int) size.get()];
            ptx.get(bytes);
            return bytes;
        } finally {
            nvrtcDestroyProgram(program);
        }
    }

    private static void checkNvrtc(int status, _nvrtcProgram program, String step) {
        if (status == NVRTC_SUCCESS) {
            return;
        }
        String log = "";
        SizeTPointer size = new SizeTPointer(1);
        if (nvrtcGetProgramLogSize(program, size) == NVRTC_SUCCESS && size.get() > 1) {
            BytePointer text = new BytePointer(size.get());
            nvrtcGetProgramLog(program, text);
            log = ": " + text.getString().trim();
        }
        throw new IllegalStateException("NVRTC could not " + step + " the ae4j CUDA kernels (" + nvrtcGetErrorString(status).getString() + ")" + log);
    }

    private static String resource(String name) {
        try (InputStream in = CudaModule.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("the CUDA kernel source " + name + " is missing from this build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Launches {@code name} on ND4J's stream of {@code ctx}. Arguments map to the kernel's parameters: Long → a
     * pointer or long long, Integer → int, Float → float (in the kernel's order).
     */
    void launch(CudaContext ctx, String name, int grid, int block, Object... args) {
        Slots s = slots.computeIfAbsent(name, k -> new Slots(args));
        s.set(args);
        int status = cuLaunchKernel(functions.get(name), grid, 1, 1, block, 1, 1, 0, new CUstream_st(ctx.getOldStream()), s.parameters, null);
        check(status, "launch of " + name);
    }

    /** Native storage for one kernel's arguments, allocated once and refilled for every launch. */
    private static final class Slots {
        private final Pointer[] values;
        final PointerPointer<Pointer> parameters;

        Slots(Object[] template) {
            values = new Pointer[template.length];
            for (int i = 0; i < template.length; i++) {
                values[i] = template[i] instanceof Long ? new LongPointer(1) : template[i] instanceof Integer ? new IntPointer(1) : new FloatPointer(1);
            }
            parameters = new PointerPointer<>(values);
        }

        void set(Object[] args) {
            for (int i = 0; i < args.length; i++) {
                if (args[i] instanceof Long v) {
                    ((LongPointer) values[i]).put(v);
                } else if (args[i] instanceof Integer v) {
                    ((IntPointer) values[i]).put(v);
                } else {
                    ((FloatPointer) values[i]).put((Float) args[i]);
                }
            }
        }
    }

    private static void check(int status, String what) {
        if (status != CUDA_SUCCESS) {
            throw new IllegalStateException("CUDA " + what + " failed with error " + status);
        }
    }
}
