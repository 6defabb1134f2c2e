/**
 * The ND4J-op layers (Dense, DenseTranspose — one kernel, a transpose flag —, GaussianNoise, Dropout,
 * ActivityRegularization, Sampling), the {@link ae4j.nn.Sequential} that composes them, the kernels they run on
 * ND4J arrays, and how a layer describes and restores itself ({@link ae4j.nn.LayerSpec}).
 * <p>
 * Floor 3: uses {@code spec}, {@code engine} (the noise streams every engine draws alike) and below.
 * <p>
 * Public API (docs/library.md).
 */
package ae4j.nn;
