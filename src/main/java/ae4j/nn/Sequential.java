package ae4j.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Keras's {@code Sequential}: layers and nested Sequentials (an encoder and a decoder inside an autoencoder) run
 * one after the other. It holds structure only; {@code train.Model} binds the parameters and runs it.
 */
public final class Sequential {
    private final List<Object> parts;

    private Sequential(List<Object> parts) {
        this.parts = parts;
    }

    /** Each part is a {@link Layer} or a {@link Sequential}. */
    public static Sequential of(Object... parts) {
        List<Object> list = new ArrayList<>();
        for (Object p : parts) {
            if (!(p instanceof Layer) && !(p instanceof Sequential)) {
                throw new IllegalArgumentException("a Sequential holds layers and Sequentials, not " + p);
            }
            list.add(p);
        }
        return new Sequential(Collections.unmodifiableList(list));
    }

    public List<Object> parts() {
        return parts;
    }

    /** All layers, nested ones flattened, in execution order. */
    public List<Layer> layers() {
        List<Layer> out = new ArrayList<>();
        for (Object p : parts) {
            if (p instanceof Sequential s) {
                out.addAll(s.layers());
            } else {
                out.add((Layer) p);
            }
        }
        return out;
    }

    /** Keras's {@code model.trainable = False}: freezes (or unfreezes) every layer; takes effect at the next compile. */
    public Sequential setTrainable(boolean trainable) {
        for (Layer layer : layers()) {
            layer.setTrainable(trainable);
        }
        return this;
    }

    /** Fixes every layer's input size from the model's input size; returns the output size. */
    public int build(int inputSize) {
        int size = inputSize;
        for (Layer layer : layers()) {
            layer.build(size);
            size = layer.outputSize();
        }
        return size;
    }
}
