#!/usr/bin/env bash
# Builds the FFI static library for iOS devices and simulators and packages it with the
# generated Swift bindings as ios/MarktplatzKit/MarktplatzFFI.xcframework.
#
# Needs macOS with Xcode (xcodebuild, lipo) and the Rust targets:
#   rustup target add aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios
# Cannot run on the Linux CI machine.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(uname)" = Darwin ] || { echo "build-ios.sh needs macOS with Xcode" >&2; exit 1; }

TARGET_DIR=${CARGO_TARGET_DIR:-target}
KIT=ios/MarktplatzKit
OUT="$KIT/MarktplatzFFI.xcframework"

# `--crate-type staticlib` alone: with the `lib` crate type alongside, cargo would build it
# without the release profile's LTO (rust-lang/cargo#9672; ADR 0001).
for target in aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios; do
  cargo rustc --release -p marktplatz-ffi --lib --crate-type staticlib --target "$target"
done

# One fat library for both simulator architectures.
SIM_DIR="$TARGET_DIR/ios-sim-universal/release"
mkdir -p "$SIM_DIR"
lipo -create \
  "$TARGET_DIR/aarch64-apple-ios-sim/release/libmarktplatz_ffi.a" \
  "$TARGET_DIR/x86_64-apple-ios/release/libmarktplatz_ffi.a" \
  -output "$SIM_DIR/libmarktplatz_ffi.a"

# Swift sources, C header and modulemap from the host-built dylib (library mode).
cargo build --release -p marktplatz-ffi
HEADERS="$TARGET_DIR/ios-headers"
rm -rf "$HEADERS" && mkdir -p "$HEADERS"
cargo run -q -p uniffi-bindgen -- generate --library "$TARGET_DIR/release/libmarktplatz_ffi.dylib" \
  --language swift --out-dir "$HEADERS" --no-format
mkdir -p "$KIT/Sources/MarktplatzFFI"
mv "$HEADERS/MarktplatzFFI.swift" "$KIT/Sources/MarktplatzFFI/MarktplatzFFI.swift"
# xcframework headers need the modulemap named module.modulemap.
mv "$HEADERS/MarktplatzFFIFFI.modulemap" "$HEADERS/module.modulemap"

rm -rf "$OUT"
xcodebuild -create-xcframework \
  -library "$TARGET_DIR/aarch64-apple-ios/release/libmarktplatz_ffi.a" -headers "$HEADERS" \
  -library "$SIM_DIR/libmarktplatz_ffi.a" -headers "$HEADERS" \
  -output "$OUT"
echo "ios: $OUT and $KIT/Sources/MarktplatzFFI/MarktplatzFFI.swift"
