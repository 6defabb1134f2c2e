package ae4j.bench;

import ae4j.nn.Layer;
import java.util.List;

/**
 * The exact floating-point work of one training step's matrix products, which is what the GFLOP/s figures divide:
 * per layer 2·B·I·O for the forward product, 2·B·I·O for dW, and 2·B·I·O for dx except in the first layer (which
 * needs no dx). Element-wise work (bias, activations, loss, optimizer) is left out, as is customary.
 * The stacked autoencoder at batch 32: 26,240,000 (11 products).
 */
public final class Flops {
    private Flops() {
    }

    public static long perStep(List<Layer> layers, int batch) {
        long flops = 0;
        for (int l = 0; l < layers.size(); l++) {
            long product = 2L * batch * layers.get(l).inputSize() * layers.get(l).outputSize();
            flops += product * (l == 0 ? 2 : 3);
        }
        return flops;
    }
}
