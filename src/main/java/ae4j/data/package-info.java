/**
 * Datasets and their files: Fashion-MNIST from IDX files (found, checked and confined), the embedded sample, the
 * book's synthetic 3-D data for the linear autoencoder, and the seeded epoch order; and a user's own data, read by
 * {@link ae4j.data.DataReader} (CSV/TSV, .npy, .npz, IDX, image folders) into a {@link ae4j.data.FloatMatrix}
 * without ND4J, split by {@link ae4j.data.ValidationSplit} and scaled by {@link ae4j.data.Scaler}.
 * <p>
 * Floor 1: uses only {@code ae4j}.
 * <p>
 * Public API (docs/library.md).
 */
package ae4j.data;
