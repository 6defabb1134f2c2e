package ae4j.engine;

/**
 * A data matrix where an engine's steps run: the host array itself on the CPU, a copy in GPU memory for CUDA, made
 * once when training starts. Closing it frees the copy.
 */
public interface Resident extends AutoCloseable {
    int rows();

    int cols();

    @Override
    void close();
}
