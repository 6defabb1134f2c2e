/**
 * The figures as PNG files: image grids, reconstructions, learning curves, the t-SNE map, activation histograms,
 * the linear autoencoder beside PCA.
 * <p>
 * Floor 6: uses {@code experiments}, {@code train} and below; not {@code bench}.
 * <p>
 * Internal: not part of the public API; may change without notice (docs/library.md names the public API).
 */
package ae4j.viz;
