#!/usr/bin/env bash
# make-bundle.sh — builds target/device-bundle/: everything the GPU check needs on a machine with an NVIDIA driver
# and a CUDA toolkit but no Java, no Maven and no network (the GPU machines lent here; air-gapped GPU nodes), at
# most 60 MiB:
#   run.sh                 the one command (see run.sh)
#   jre.tar.xz             a jlink'd Java runtime (java.base, jdk.unsupported, java.management, jdk.management)
#   lib/ae4j.jar           ae4j's classes, and lib/ae4j-linux-x86_64.jar the native CPU engine built here (its
#                          classifier jar); lib/javacpp*.jar (its loader and the loader's own native library for this
#                          platform)
#   lib/libae4j_cuda.so    the CUDA engine, built here when nvcc is installed (cuBLAS is loaded at run time)
#   src/native/...         the CUDA engine's sources and jni.h, which run.sh builds with the machine's nvcc when
#                          the prebuilt library does not load there
#   data/                  Fashion-MNIST's training images (the check splits off the book's 5,000 validation ones)
#   pytorch_reference.py   the same stacked autoencoder in PyTorch, from the same weights and batches
# ND4J stays behind: the check runs on ae4j's own engines only.
# Usage: native/cuda/device/make-bundle.sh [DATA_DIR]   (default: $AE4J_DATA, else Debian's dataset package)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
out="$root/target/device-bundle"
data="${1:-${AE4J_DATA:-/usr/share/datasets/fashion-mnist}}"
limit_mib=60

images=""
for name in train-images-idx3-ubyte.gz train-images-idx3-ubyte; do
  [ -f "$data/$name" ] && images="$data/$name" && break
done
[ -n "$images" ] || { echo "make-bundle: no train-images-idx3-ubyte(.gz) in $data (apt-get install dataset-fashion-mnist, or pass a folder)" >&2; exit 2; }
java_home="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}"
[ -x "$java_home/bin/jlink" ] || { echo "make-bundle: jlink not found in $java_home (set JAVA_HOME to a JDK 17+)" >&2; exit 2; }

rm -rf "$out" && mkdir -p "$out/lib" "$out/data" "$out/src/native/cuda" "$out/src/native/include/jni"
tmp="$(mktemp -d)" && trap 'rm -rf "$tmp"' EXIT

echo "make-bundle: ae4j's classes and the native CPU engine (mvn package)"
mvn -B -q -f "$root/pom.xml" -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true package dependency:build-classpath \
  -Dmdep.outputFile="$tmp/classpath.txt" -Dmdep.includeScope=runtime
jar="$(ls "$root"/target/cpu/ae4j-*.jar | grep -Ev -- '-(sources|javadoc|linux-x86_64)\.jar$')"
cp "$jar" "$out/lib/ae4j.jar"
cp "${jar%.jar}-linux-x86_64.jar" "$out/lib/ae4j-linux-x86_64.jar"
javacpp="$(tr ':' '\n' < "$tmp/classpath.txt" | grep -E '/javacpp-[0-9.]+\.jar$' | head -n 1)"
cp "$javacpp" "$out/lib/javacpp.jar"
cp "${javacpp%.jar}-linux-x86_64.jar" "$out/lib/javacpp-linux-x86_64.jar"

echo "make-bundle: a Java runtime (jlink)"
"$java_home/bin/jlink" --add-modules java.base,jdk.unsupported,java.management,jdk.management --strip-debug --no-man-pages \
  --no-header-files --compress=2 --output "$tmp/jre"
tar -C "$tmp" -cf - jre | xz -9 -T0 > "$out/jre.tar.xz"

echo "make-bundle: the CUDA engine's sources$(command -v nvcc > /dev/null && echo ' and library (nvcc)')"
cp -r "$root/native/cuda/engine" "$out/src/native/cuda/engine"
cp "$root/native/cuda/ae4j_kernels.cu" "$out/src/native/cuda/"
cp "$root"/native/include/*.h "$out/src/native/include/"
cp "$java_home/include/jni.h" "$out/src/native/include/jni/"
mkdir -p "$out/src/native/include/jni/linux" && cp "$java_home/include/linux/jni_md.h" "$out/src/native/include/jni/linux/"
if command -v nvcc > /dev/null; then
  make -s -C "$root/native/cuda/engine" OUT="$out/lib" ARCHS="${AE4J_CUDA_ARCHS:-80 90 100}"
fi

cp "$images" "$out/data/"
cp "$root/native/cuda/device/run.sh" "$root/native/cuda/device/pytorch_reference.py" "$out/"
chmod +x "$out/run.sh"

size=$(du -sm "$out" | cut -f1)
echo "make-bundle: $out is $size MiB (limit $limit_mib)"
[ "$size" -le "$limit_mib" ] || { echo "make-bundle: the bundle is over $limit_mib MiB" >&2; exit 1; }
