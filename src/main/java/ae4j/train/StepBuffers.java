package ae4j.train;

import ae4j.nn.Layer;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Every activation and delta of one batch, carved out of one flat, detached allocation made once per run (the
 * {@code acts} memory of llm.c). Layout for L layers with outputs O_l and B rows:
 * input [B,I], target [B,D] (absent when the target is the input, as for autoencoders), then per layer
 * output_l [B,O_l] and delta_l [B,O_l] = ∂L/∂output_l. A short last batch uses views of the first rows.
 */
final class StepBuffers {
    final int rows;
    final INDArray input;
    final INDArray target;
    final INDArray[] outputs;
    final INDArray[] deltas;

    private StepBuffers(int rows, INDArray input, INDArray target, INDArray[] outputs, INDArray[] deltas) {
        this.rows = rows;
        this.input = input;
        this.target = target;
        this.outputs = outputs;
        this.deltas = deltas;
    }

    static StepBuffers allocate(List<Layer> layers, int inputSize, int rows, boolean targetIsInput, DataType dtype) {
        int outputSize = layers.get(layers.size() - 1).outputSize();
        long total = (long) rows * inputSize + (targetIsInput ? 0 : (long) rows * outputSize);
        for (Layer layer : layers) {
            total += 2L * rows * layer.outputSize();
        }
        INDArray arena;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            arena = Nd4j.createUninitializedDetached(dtype, total);
        } catch (OutOfMemoryError | RuntimeException e) {
            String where = "cuda".equals(ae4j.backend.BackendInfo.backendName()) ? "GPU" : "off-heap";
            throw new OutOfMemoryException(String.format("out of %s memory allocating the activations of batch size %d: %,d MiB asked (%s);"
                    + " lower --batch-size", where, rows, total * dtype.width() >> 20, e.getMessage()), e);
        }
        long[] offset = {0};
        INDArray input = carve(arena, offset, rows, inputSize);
        INDArray target = targetIsInput ? input : carve(arena, offset, rows, outputSize);
        INDArray[] outputs = new INDArray[layers.size()];
        INDArray[] deltas = new INDArray[layers.size()];
        for (int l = 0; l < layers.size(); l++) {
            outputs[l] = carve(arena, offset, rows, layers.get(l).outputSize());
            deltas[l] = carve(arena, offset, rows, layers.get(l).outputSize());
        }
        return new StepBuffers(rows, input, target, outputs, deltas);
    }

    /** The same buffers seen as {@code n ≤ rows} rows. */
    StepBuffers firstRows(int n) {
        if (n == rows) {
            return this;
        }
        INDArray[] o = new INDArray[outputs.length];
        INDArray[] d = new INDArray[deltas.length];
        for (int l = 0; l < o.length; l++) {
            o[l] = top(outputs[l], n);
            d[l] = top(deltas[l], n);
        }
        INDArray in = top(input, n);
        return new StepBuffers(n, in, target == input ? in : top(target, n), o, d);
    }

    private static INDArray top(INDArray a, int n) {
        return a.get(NDArrayIndex.interval(0, n), NDArrayIndex.all());
    }

    private static INDArray carve(INDArray arena, long[] offset, int rows, int cols) {
        long length = (long) rows * cols;
        INDArray view = arena.get(NDArrayIndex.interval(offset[0], offset[0] + length)).reshape('c', rows, cols);
        offset[0] += length;
        return view;
    }
}
