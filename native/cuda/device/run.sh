#!/usr/bin/env bash
# run.sh — the GPU bundle's one command (built by native/cuda/device/make-bundle.sh). On a machine with an NVIDIA
# driver and a CUDA toolkit, and no Java, Maven or network:
#   1. unpacks the bundled Java runtime;
#   2. checks that ae4j's CUDA engine loads and finds the GPU, building it with the machine's nvcc when the
#      prebuilt library does not load there;
#   3. runs the check from ae4j's Java code (ae4j.bench.DeviceCheck): the stacked and the tied autoencoder, whole
#      55,000-image epochs at batch 32 and 256, and the dropout-denoising, KL-sparse and variational autoencoders at
#      their batch size, on the GPU (stream launches and CUDA graphs) and on the CPU engine with all cores, from the
#      same initial weights, batch order and noise seed; agreement and allocation checks;
#   4. runs pytorch_reference.py (eager, CUDA graph, torch.compile) from the same weights and batches, where
#      PyTorch is installed, and prints one table of all of them.
# Without a GPU it runs the CPU half, says in one line that the GPU half was skipped, compares with PyTorch on the
# same cores (eager, torch.compile) where PyTorch is installed, and exits 0.
# Results go to $AE4J_RESULTS (default: results/ beside this script); the CPU runs (ae4j's and PyTorch's) take
# $AE4J_THREADS threads (default: all cores). Exit code: the Java check's.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
results="${AE4J_RESULTS:-$here/results}"
epochs="${AE4J_EPOCHS:-3}"
mkdir -p "$results"

echo "== run.sh: $(date -u '+%Y-%m-%d %H:%M UTC') on $(hostname), $(nproc) CPUs"
if ! tar -C "$work" -xJf "$here/jre.tar.xz" 2> /dev/null; then
  python3 -c 'import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' "$here/jre.tar.xz" "$work"
fi
java=("$work/jre/bin/java" -Xms1g -Xmx3g -Dorg.bytedeco.javacpp.cachedir="$work/javacpp" -cp "$here/lib/ae4j.jar:$here/lib/ae4j-linux-x86_64.jar:$here/lib/javacpp.jar:$here/lib/javacpp-linux-x86_64.jar")
"${java[0]}" -version 2>&1 | head -n 1

gpu=no
if [ -e /proc/driver/nvidia/version ] || nvidia-smi -L > /dev/null 2>&1; then
  gpu=yes
  nvidia-smi --query-gpu=name,compute_cap,driver_version,memory.total --format=csv,noheader 2> /dev/null
  lib="$here/lib/libae4j_cuda.so"
  if [ ! -f "$lib" ] || ! "${java[@]}" -Dae4j.cuda.library="$lib" ae4j.bench.DeviceCheck --probe; then
    echo "== building the CUDA engine with $(command -v nvcc || echo 'no nvcc')"
    cap="$(nvidia-smi --query-gpu=compute_cap --format=csv,noheader 2> /dev/null | head -n 1 | tr -d '. ')"
    make -s -C "$here/src/native/cuda/engine" OUT="$work/lib" JNI_INCLUDE="$here/src/native/include/jni" ${cap:+ARCHS="$cap"} \
      && lib="$work/lib/libae4j_cuda.so"
  fi
  java+=(-Dae4j.cuda.library="$lib")
fi

echo "== the Java check (ae4j.bench.DeviceCheck)"
threads="${AE4J_THREADS:-$(nproc)}"
"${java[@]}" ae4j.bench.DeviceCheck --data "$here/data" --out "$results" --epochs "$epochs" --threads "$threads"
code=$?

if [ "$gpu" = yes ]; then torch_device=(--device cuda); else torch_device=(--device cpu --threads "$threads"); fi
echo "== PyTorch, the same stacked autoencoder from the same weights and batches (${torch_device[*]})"
if python3 -c 'import torch' 2> /dev/null; then
  timeout "${AE4J_TORCH_SECONDS:-240}" python3 "$here/pytorch_reference.py" --data "$here/data" --results "$results" --epochs "$epochs" "${torch_device[@]}" \
    || echo "pytorch_reference.py ended with code $? (124: over its ${AE4J_TORCH_SECONDS:-240} s)"
else
  echo "PyTorch is not installed here: skipped"
fi
echo "== run.sh: done, exit code $code (results in $results)"
exit "$code"
