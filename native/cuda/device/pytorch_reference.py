#!/usr/bin/env python3
"""pytorch_reference.py — the book's stacked autoencoder (784-100-30-100-784, SELU, sigmoid output, binary
cross-entropy, SGD with learning rate 1.5) in idiomatic PyTorch, on the same GPU as ae4j's device check (or, with
--device cpu, on the same CPU cores), from the initial weights and in the batch order that the check wrote
(RESULTS/init-stacked.bin, RESULTS/orders.bin), as:

  eager          a plain training loop;
  cuda graph     (GPU only) the whole step (forward, loss, backward, SGD) captured with torch.cuda.graph and
                 replayed, one graph per batch shape (the short last batch of an epoch has its own);
  torch.compile  the model compiled by TorchInductor (default mode); its first epoch includes compiling.

Every variant keeps the epoch's loss on the device and synchronises once per epoch, as ae4j does. It prints one
table with ae4j's runs (RESULTS/ae4j-results.json): engine, batch, µs per step and seconds per epoch (medians over
the epochs), the last epoch's training loss and the validation loss after the epochs, and for each PyTorch run how
far its validation loss lies from ae4j's run on the same kind of device (its CUDA graph run, or its CPU engine run;
target: within 1e-3 relative). Writes RESULTS/torch-results.json.

The sigmoid and the binary cross-entropy are fused (BCEWithLogitsLoss), as Keras and ae4j fuse them; float32
matrix products without TF32 (PyTorch's default for matmul), as ae4j's cuBLAS calls.
"""
import argparse
import gzip
import json
import statistics
import time
from pathlib import Path

import numpy as np
import torch

SIZES = [784, 100, 30, 100, 784]
AGREEMENT = 1e-3


def load_images(data: Path) -> np.ndarray:
    gz = data / "train-images-idx3-ubyte.gz"
    raw = gzip.open(gz).read() if gz.exists() else (data / "train-images-idx3-ubyte").read_bytes()
    count = int.from_bytes(raw[4:8], "big")
    return np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(count, 784).astype(np.float32) / 255.0


def stacked_autoencoder(init: np.ndarray, device) -> torch.nn.Sequential:
    """The network with ae4j's initial weights: per layer W [in, out] row-major, then b [out]."""
    layers, offset = [], 0
    for i in range(4):
        n_in, n_out = SIZES[i], SIZES[i + 1]
        linear = torch.nn.Linear(n_in, n_out)
        w = init[offset:offset + n_in * n_out].reshape(n_in, n_out)
        offset += n_in * n_out
        b = init[offset:offset + n_out]
        offset += n_out
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(w.T.copy()))
            linear.bias.copy_(torch.from_numpy(b.copy()))
        layers.append(linear)
        if i < 3:
            layers.append(torch.nn.SELU())
    assert offset == init.size, "init-stacked.bin does not hold the stacked autoencoder's 163,814 parameters"
    return torch.nn.Sequential(*layers).to(device)


def validation(model, valid):
    with torch.no_grad():
        logits = model(valid)
        loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, valid).item()
        rounded = ((valid > 0.5) == (torch.sigmoid(logits) > 0.5)).float().mean().item()
    return loss, rounded


def batches(n, batch):
    return [(start, min(batch, n - start)) for start in range(0, n, batch)]


def synchronize(device):
    if device.type == "cuda":
        torch.cuda.synchronize()


def train_eager(model, train, orders, batch, step_fn=None):
    opt = torch.optim.SGD(model.parameters(), lr=1.5)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    forward = step_fn or model
    seconds, total = [], None
    for order in orders:
        total = torch.zeros((), device=train.device)
        synchronize(train.device)
        started = time.perf_counter()
        for start, rows in batches(train.shape[0], batch):
            x = train.index_select(0, order[start:start + rows])
            loss = loss_fn(forward(x), x)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            total += loss.detach() * rows
        synchronize(train.device)
        seconds.append(time.perf_counter() - started)
    return seconds, (total / train.shape[0]).item()


def train_graphed(model, train, orders, batch, init):
    """Whole-step CUDA graphs, one per batch shape, replayed; the gather of each batch stays outside the graph."""
    opt = torch.optim.SGD(model.parameters(), lr=1.5)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    shapes = sorted({rows for _, rows in batches(train.shape[0], batch)}, reverse=True)
    side = torch.cuda.Stream()
    side.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(side):  # warm-up outside capture, as PyTorch's documentation asks
        for rows in shapes:
            for _ in range(3):
                x = train[:rows]
                opt.zero_grad(set_to_none=True)
                loss_fn(model(x), x).backward()
                opt.step()
    torch.cuda.current_stream().wait_stream(side)
    reset(model, init)
    graphs = {}
    total = torch.zeros((), device=train.device)
    for rows in shapes:
        static_x = torch.empty(rows, 784, device=train.device)
        graph = torch.cuda.CUDAGraph()
        opt.zero_grad(set_to_none=True)
        with torch.cuda.graph(graph):
            loss = loss_fn(model(static_x), static_x)
            loss.backward()
            opt.step()
            total.add_(loss.detach() * rows)
        graphs[rows] = (graph, static_x)
    seconds = []
    for order in orders:
        total.zero_()
        torch.cuda.synchronize()
        started = time.perf_counter()
        for start, rows in batches(train.shape[0], batch):
            graph, static_x = graphs[rows]
            torch.index_select(train, 0, order[start:start + rows], out=static_x)
            graph.replay()
        torch.cuda.synchronize()
        seconds.append(time.perf_counter() - started)
    return seconds, (total / train.shape[0]).item()


def reset(model, init):
    fresh = stacked_autoencoder(init, next(model.parameters()).device)
    with torch.no_grad():
        for p, q in zip(model.parameters(), fresh.parameters()):
            p.copy_(q)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="folder with train-images-idx3-ubyte(.gz)")
    parser.add_argument("--results", type=Path, required=True, help="the device check's output folder")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--device", choices=["cuda", "cpu"], default="cuda")
    parser.add_argument("--threads", type=int, default=0, help="with --device cpu: intra-op threads (0: PyTorch's own)")
    args = parser.parse_args()

    device = torch.device(args.device)
    torch.backends.cuda.matmul.allow_tf32 = False
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    images = load_images(args.data)
    n_valid = images.shape[0] // 12
    train = torch.from_numpy(images[:-n_valid]).to(device)
    valid = torch.from_numpy(images[-n_valid:]).to(device)
    init = np.fromfile(args.results / "init-stacked.bin", dtype="<f4")
    all_orders = np.fromfile(args.results / "orders.bin", dtype="<i4").reshape(-1, train.shape[0])
    orders = [torch.from_numpy(o.astype(np.int64)).to(device) for o in all_orders[:args.epochs]]
    ae4j = json.loads((args.results / "ae4j-results.json").read_text())
    if device.type == "cuda":
        print(f"PyTorch {torch.__version__}, CUDA {torch.version.cuda}, {torch.cuda.get_device_name(0)}")
    else:
        print(f"PyTorch {torch.__version__} on the CPU, {torch.get_num_threads()} threads")

    runs = []
    for batch in sorted({r["batch"] for r in ae4j["runs"] if r["model"] == "stacked"}):
        variants = [("torch eager", lambda m: train_eager(m, train, orders, batch))]
        if device.type == "cuda":
            variants.append(("torch cuda graph", lambda m: train_graphed(m, train, orders, batch, init)))
        variants.append(("torch.compile", lambda m: train_eager(m, train, orders, batch, torch.compile(m))))
        if device.type == "cpu":  # named as ae4j's CPU runs are, with their threads
            variants = [(f"{name} x{torch.get_num_threads()}", run) for name, run in variants]
        for name, run in variants:
            model = stacked_autoencoder(init, device)
            try:
                seconds, loss = run(model)
            except Exception as e:  # one variant failing (a missing compiler for Triton, say) must not hide the others
                print(f"{name} batch {batch}: failed: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}")
                continue
            val_loss, val_rounded = validation(model, valid)
            median = statistics.median(seconds)
            steps = len(batches(train.shape[0], batch))
            runs.append({"model": "stacked", "engine": name, "batch": batch, "us_per_step": median * 1e6 / steps,
                         "seconds_per_epoch": median, "first_epoch_seconds": seconds[0], "loss": loss,
                         "val_loss": val_loss, "val_rounded_accuracy": val_rounded})
    (args.results / "torch-results.json").write_text(json.dumps({"torch": torch.__version__, "runs": runs}, indent=2))

    same_device = (lambda e: e == "cuda graph") if device.type == "cuda" else (lambda e: e.startswith("cpu"))
    reference = {r["batch"]: r for r in ae4j["runs"] if r["model"] == "stacked" and same_device(r["engine"])}
    print(f"\n{'engine':<17} {'batch':>5} {'us/step':>9} {'s/epoch':>9} {'loss':>8} {'val_loss':>9}  "
          f"vs ae4j {'GPU' if device.type == 'cuda' else 'CPU'}")
    for r in [r for r in ae4j["runs"] if r["model"] == "stacked"] + runs:
        ref = reference.get(r["batch"])
        delta = "" if ref is None or r is ref else f"{(r['val_loss'] - ref['val_loss']) / ref['val_loss']:+.1e}"
        mark = "" if not delta else ("  ok" if abs(float(delta)) <= AGREEMENT else "  OUTSIDE 1e-3")
        print(f"{r['engine']:<17} {r['batch']:>5} {r['us_per_step']:>9.1f} {r['seconds_per_epoch']:>9.4f} "
              f"{r['loss']:>8.4f} {r['val_loss']:>9.4f}  {delta}{mark}")
    for r in runs:
        if r["engine"].startswith("torch.compile"):
            print(f"torch.compile batch {r['batch']}: first epoch {r['first_epoch_seconds']:.1f} s (compiling included)")


if __name__ == "__main__":
    main()
