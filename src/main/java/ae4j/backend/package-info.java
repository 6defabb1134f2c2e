/**
 * Which ND4J backend loads (CPU or CUDA), the runtime profile that configures it, the CUDA guard that refuses a
 * GPU ND4J's kernels cannot run on, and what the machine is ({@link ae4j.backend.BackendInfo}).
 * <p>
 * Floor 2: uses only {@code ae4j}. The cuda profile's {@code ae4j.backend.cuda} (the driver probe) sits here too;
 * its {@code ae4j.nn.cuda} (ae4j's CUDA kernels on ND4J's stream) sits with {@code nn}.
 * <p>
 * Internal: not part of the public API; may change without notice (docs/library.md names the public API).
 */
package ae4j.backend;
