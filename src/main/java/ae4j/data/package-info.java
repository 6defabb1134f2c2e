/**
 * Datasets and their files: Fashion-MNIST from IDX files (found, checked and confined), the embedded sample, the
 * book's synthetic 3-D data for the linear autoencoder, and the seeded epoch order.
 * <p>
 * Floor 1: uses only {@code ae4j}.
 */
package ae4j.data;
