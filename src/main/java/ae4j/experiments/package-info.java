/**
 * The chapter's recipes, each reading like the book's Keras code (layers, loss, optimizer, fit), and what they
 * measure: PCA, reconstructions, t-SNE codings, k-NN accuracy, coding activity, the book's reference numbers.
 * {@link ae4j.experiments.Recipe} names each recipe once, for the command line, the model files and the benchmarks.
 * <p>
 * Floor 5: uses {@code train} and below.
 * <p>
 * Public API: {@link ae4j.experiments.Autoencoder}, {@link ae4j.experiments.CustomAutoencoder}, {@link
 * ae4j.experiments.CustomSpec} and {@link ae4j.experiments.AnomalyScores} (docs/library.md). The recipes and what
 * they measure are internal: not part of the public API; may change without notice.
 */
package ae4j.experiments;
