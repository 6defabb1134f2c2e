"""The book's linear autoencoder (3-2-3, MSE, SGD 1.5, batch 32, 20 epochs) in NumPy with Keras's semantics:
Glorot-uniform kernels, zero biases, MSE averaged over features and batch, a reshuffle every epoch. Not part of
ae4j: an independent reference for how far 20 epochs get from PCA over many initialisations (README, Results).
Run: python3 docs/linear_keras_semantics.py [seeds]
"""
import sys

import numpy as np


def book_data(m=60, w1=0.1, w2=0.3, noise=0.1):
    np.random.seed(4)
    angles = np.random.rand(m) * 3 * np.pi / 2 - 0.5
    data = np.empty((m, 3))
    data[:, 0] = np.cos(angles) + np.sin(angles) / 2 + noise * np.random.randn(m) / 2
    data[:, 1] = np.sin(angles) * 0.7 + noise * np.random.randn(m) / 2
    data[:, 2] = data[:, 0] * w1 + data[:, 1] * w2 + noise * np.random.randn(m)
    return data - data.mean(axis=0)


def largest_principal_angle_deg(a, b):
    qa, _ = np.linalg.qr(a)
    qb, _ = np.linalg.qr(b)
    cosines = np.linalg.svd(qa.T @ qb, compute_uv=False)
    return np.degrees(np.arccos(np.clip(cosines.min(), -1, 1)))


def train(x, seed, epochs=20, lr=1.5, batch=32):
    """Returns (final-epoch mean loss, MSE over the data, decoder plane's angle to PCA's), or None if it diverged."""
    rng = np.random.default_rng(seed)
    limit = np.sqrt(6 / (3 + 2))
    w1, b1 = rng.uniform(-limit, limit, (3, 2)), np.zeros(2)
    w2, b2 = rng.uniform(-limit, limit, (2, 3)), np.zeros(3)
    for _ in range(epochs):
        order = rng.permutation(len(x))
        losses, sizes = [], []
        for start in range(0, len(x), batch):
            xb = x[order[start:start + batch]]
            h = xb @ w1 + b1
            diff = h @ w2 + b2 - xb
            losses.append(np.mean(diff ** 2))
            sizes.append(len(xb))
            g = 2 * diff / diff.size
            gh = g @ w2.T
            w2, b2 = w2 - lr * h.T @ g, b2 - lr * g.sum(0)
            w1, b1 = w1 - lr * xb.T @ gh, b1 - lr * gh.sum(0)
        if not np.isfinite(losses).all():
            return None
    mse = np.mean(((x @ w1 + b1) @ w2 + b2 - x) ** 2)
    return np.average(losses, weights=sizes), mse, w2.T


def main():
    seeds = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    x = book_data()
    _, _, vt = np.linalg.svd(x, full_matrices=False)
    pca_plane = vt[:2].T
    pca_mse = np.mean((x - x @ pca_plane @ pca_plane.T) ** 2)
    runs = [train(x, seed) for seed in range(seeds)]
    done = [r for r in runs if r is not None]
    loss = np.array([r[0] for r in done])
    excess = np.array([100 * (r[1] / pca_mse - 1) for r in done])
    angle = np.array([largest_principal_angle_deg(r[2], pca_plane) for r in done])
    print(f"PCA's optimum MSE {pca_mse:.5f}; {seeds} seeds, {seeds - len(done)} diverged")
    print(f"final-epoch loss median {np.median(loss):.4f} (book: 0.0055)")
    print("angle to PCA's plane, 10/25/50/75/90%:", np.round(np.percentile(angle, [10, 25, 50, 75, 90]), 2))
    print("MSE above PCA's optimum %, 10/25/50/75/90%:", np.round(np.percentile(excess, [10, 25, 50, 75, 90]), 1))
    print(f"within 1 degree and 2%: {np.mean((angle < 1) & (excess < 2)):.1%} of the runs that finished")


if __name__ == "__main__":
    main()
