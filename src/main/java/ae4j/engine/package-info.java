/**
 * The whole-step engines: one training step (gather the batch, forward, loss, backward, optimizer) as one unit
 * behind {@link ae4j.engine.StepEngine}, over a network compiled to a {@link ae4j.engine.Plan}.
 * <p>
 * Nothing in this package touches ND4J: the native CPU engine and the CUDA engine see only addresses of host
 * memory ({@link ae4j.engine.HostArray}), so this package, with the data, nn enums and {@code Rng} it uses, runs
 * where ND4J cannot travel (the GPU bundle, {@code native/cuda/device}). The ND4J-op engine lives in
 * {@code ae4j.train}.
 */
package ae4j.engine;
