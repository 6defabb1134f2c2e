/**
 * The step's vocabulary, with Keras's semantics and no ND4J: activations, losses, metrics, initialisers,
 * activity regularizers, optimizers, the layer kinds, and the {@link ae4j.spec.Plan} every engine runs (its
 * integer codes are those of {@code native/include/ae4j_plan.h} and {@code ae4j_kernels.h}; {@code
 * PlanCodesTest} reads the headers).
 * <p>
 * Floor 1: uses only {@code ae4j}. Every engine, the ND4J-op layers and the training loop read it.
 * <p>
 * Public API (docs/library.md).
 */
package ae4j.spec;
