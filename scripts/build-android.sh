#!/usr/bin/env bash
# Builds the FFI library for Android with cargo-ndk into the app's jniLibs, then generates the
# Kotlin bindings into android/core-bridge (git-ignored build folders).
#
# Needs (not available on the CI machine): the Android NDK (ANDROID_NDK_HOME), cargo-ndk
# (`cargo install cargo-ndk`) and the Rust targets:
#   rustup target add aarch64-linux-android armv7-linux-androideabi x86_64-linux-android
# Usage: scripts/build-android.sh [release|debug]   (default release)
set -euo pipefail
cd "$(dirname "$0")/.."
PROFILE=${1:-release}
JNI_LIBS=android/core-bridge/src/main/jniLibs
ABIS=(arm64-v8a armeabi-v7a x86_64)

command -v cargo-ndk >/dev/null || { echo "cargo-ndk is missing: cargo install cargo-ndk" >&2; exit 1; }
[ -n "${ANDROID_NDK_HOME:-}" ] || { echo "set ANDROID_NDK_HOME to the NDK r28 or newer (e.g. \$ANDROID_HOME/ndk/28.2.13676358)" >&2; exit 1; }
# Google Play refuses apps whose native libraries are not 16 KB-page aligned (they crash on
# 16 KB-page devices); NDK r28 links that way by default, and the flag below says so for any NDK.
ndk_major=$(sed -n 's/^Pkg.Revision *= *\([0-9]*\).*/\1/p' "$ANDROID_NDK_HOME/source.properties" 2>/dev/null || true)
if [ -z "$ndk_major" ] || [ "$ndk_major" -lt 28 ]; then
  echo "the NDK at $ANDROID_NDK_HOME is r${ndk_major:-?}: r28 or newer is needed (16 KB page alignment)" >&2
  exit 1
fi
export RUSTFLAGS="${RUSTFLAGS:-} -C link-arg=-Wl,-z,max-page-size=16384"

flags=()
[ "$PROFILE" = release ] && flags+=(--release)
targets=()
for abi in "${ABIS[@]}"; do targets+=(-t "$abi"); done
# API 26 (Android 8) is the app's minSdk; cargo-ndk links against that platform level.
# `rustc --crate-type cdylib`: with its `lib` crate type alongside, cargo would build the .so
# without the release profile's LTO (rust-lang/cargo#9672; ADR 0001).
cargo ndk "${targets[@]}" --platform 26 -o "$JNI_LIBS" rustc -p marktplatz-ffi --lib --crate-type cdylib "${flags[@]}"

# Bindings come from a host build of the same sources (library mode reads its metadata).
scripts/gen-bindings.sh "$PROFILE"
echo "android: libraries in $JNI_LIBS/{$(IFS=,; echo "${ABIS[*]}")}; Kotlin in android/core-bridge/build/generated"
