"""PCA's reconstruction error as an anomaly score on the same split, the baseline ae4j's autoencoder is compared with.

Standardizes with the training rows' mean and standard deviation (as `train custom` does), keeps the first k principal
components of the training rows, and scores each test row by its mean squared reconstruction error. NumPy only.
"""
import csv
import sys

import numpy as np


def load(path):
    with open(path) as f:
        rows = list(csv.reader(f))[1:]
    return np.array([[float(v) for v in r[:-1]] for r in rows]), np.array([r[-1] for r in rows])


def roc_auc(scores, positive):
    ranks = np.empty(len(scores))
    ranks[np.argsort(scores, kind="stable")] = np.arange(1, len(scores) + 1)
    n1, n0 = positive.sum(), (~positive).sum()
    return (ranks[positive].sum() - n1 * (n1 + 1) / 2) / (n1 * n0)


def average_precision(scores, positive):
    order = np.argsort(-scores, kind="stable")
    hits = positive[order]
    precision = np.cumsum(hits) / np.arange(1, len(hits) + 1)
    return precision[hits].mean()


k = int(sys.argv[1]) if len(sys.argv) > 1 else 4
train, _ = load("train.csv")
test, label = load("test.csv")
mean, std = train.mean(0), train.std(0)
z_train, z_test = (train - mean) / std, (test - mean) / std
components = np.linalg.svd(z_train, full_matrices=False)[2][:k].T
errors = ((z_test - z_test @ components @ components.T) ** 2).mean(1)
malignant = label == "malignant"
print(f"PCA, {k} components: ROC AUC {roc_auc(errors, malignant):.4f}, average precision {average_precision(errors, malignant):.4f}")
