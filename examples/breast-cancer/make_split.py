"""Writes train.csv and test.csv from scikit-learn's copy of the Breast Cancer Wisconsin (Diagnostic) data.

train.csv: 250 benign rows (the "normal" data an anomaly detector learns); test.csv: the other 107 benign rows and all
212 malignant ones. The split is seeded, so the files this writes are the ones in this folder.
"""
import numpy as np
from sklearn.datasets import load_breast_cancer

data = load_breast_cancer()
names = [n.replace(" ", "_") for n in data.feature_names]
label = np.where(data.target == 1, "benign", "malignant")
benign = np.flatnonzero(data.target == 1)
np.random.default_rng(42).shuffle(benign)
train = np.sort(benign[:250])
test = np.sort(np.concatenate([benign[250:], np.flatnonzero(data.target == 0)]))


def write(path, rows):
    with open(path, "w") as f:
        f.write(",".join(names + ["diagnosis"]) + "\n")
        for i in rows:
            f.write(",".join(repr(float(v)) for v in data.data[i]) + "," + label[i] + "\n")


write("train.csv", train)
write("test.csv", test)
