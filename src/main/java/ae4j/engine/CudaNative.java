package ae4j.engine;

/**
 * The native methods of the CUDA engine, implemented in {@code native/cuda/engine/jni.cu} (libae4j_cuda.so, loaded
 * by {@link CudaLibrary}). Handles are native addresses; host memory is passed by address, checked by
 * {@link CudaEngine} first. Failures throw {@link IllegalStateException} with CUDA's or cuBLAS's message.
 */
final class CudaNative {
    private CudaNative() {
    }

    /** "name|major.minor|total bytes|driver|runtime|cuBLAS version|cuBLAS library", after initialising the GPU. */
    static native String device();

    static native long create(long[] ints, double[] reals, long params, long state);

    static native void destroy(long engine);

    static native long upload(long host, int rows, int cols);

    static native void release(long matrix);

    static native void beginEpoch(long engine, int[] order);

    static native void trainStep(long engine, long x, long y, int rows);

    static native void readTotals(long engine, double[] sums);

    static native void resetTotals(long engine);

    static native void evaluate(long engine, long x, long y, int batchSize, double[] sums);

    static native void predict(long engine, long x, int from, int to, long hostOut);

    static native double lossAndGradients(long engine, long x, long y);

    static native long iteration(long engine);

    static native void setIteration(long engine, long t);

    static native double learningRate(long engine);

    static native void setLearningRate(long engine, double lr);

    static native void setNoiseSeed(long engine, long seed);

    static native void copyToHost(long engine, long params, long grads, long state);

    static native void copyFromHost(long engine, long params, long state);

    static native void synchronize(long engine);

    static native void useGraphs(long engine, boolean on);

    /** Device allocations made by ae4j in this process. */
    static native long allocations();

    /** Device memory in use, all processes (cudaMemGetInfo). */
    static native long memoryUsed();
}
