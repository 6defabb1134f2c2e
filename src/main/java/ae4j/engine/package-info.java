/**
 * The whole-step engines: one training step (gather the batch, forward, loss, backward, optimizer) as one unit
 * behind {@link ae4j.engine.StepEngine}, over a network compiled to a {@link ae4j.spec.Plan}.
 * <p>
 * Nothing in this package touches ND4J: the native CPU engine ({@link ae4j.engine.NativeCpu}, its JavaCPP binding)
 * and the CUDA engine ({@link ae4j.engine.CudaNative}) see only addresses of host memory
 * ({@link ae4j.engine.HostArray}), so this package, with the {@code spec} and {@code Rng} it uses, runs where ND4J
 * cannot travel (the GPU bundle, {@code native/cuda/device}). The ND4J-op engine lives in {@code ae4j.train}.
 * <p>
 * Floor 2: uses only {@code spec} and {@code ae4j}.
 * <p>
 * Internal: not part of the public API; may change without notice (docs/library.md names the public API).
 */
package ae4j.engine;
