/**
 * Benchmarks: training steps per model, engine, thread count and batch size beside Deeplearning4j, the GEMM
 * routes, and the GPU bundle's check ({@link ae4j.bench.DeviceCheck}, which runs without ND4J).
 * <p>
 * Floor 6: uses {@code experiments}, {@code train} and below; not {@code viz}.
 * <p>
 * Internal: not part of the public API; may change without notice (docs/library.md names the public API).
 */
package ae4j.bench;
