/**
 * The chapter's recipes, each reading like the book's Keras code (layers, loss, optimizer, fit), and what they
 * measure: PCA, reconstructions, t-SNE codings, k-NN accuracy, coding activity, the book's reference numbers.
 * {@link ae4j.experiments.Recipe} names each recipe once, for the command line, the model files and the benchmarks.
 * <p>
 * Floor 5: uses {@code train} and below.
 */
package ae4j.experiments;
