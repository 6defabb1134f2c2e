/**
 * The figures as PNG files: image grids, reconstructions, learning curves, the t-SNE map, activation histograms,
 * the linear autoencoder beside PCA.
 * <p>
 * Floor 6: uses {@code experiments}, {@code train} and below; not {@code bench}.
 */
package ae4j.viz;
