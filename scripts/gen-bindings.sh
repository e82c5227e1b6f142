#!/usr/bin/env bash
# Generates the Kotlin and Swift bindings from the built FFI library (uniffi library mode) into
# git-ignored build folders:
#   android/core-bridge/build/generated/   (Kotlin)
#   ios/MarktplatzKit/Generated/           (Swift + C header + modulemap)
# Usage: scripts/gen-bindings.sh [debug|release]   (default debug)
set -euo pipefail
cd "$(dirname "$0")/.."
PROFILE=${1:-debug}
TARGET_DIR=${CARGO_TARGET_DIR:-target}
if [ "$PROFILE" = release ]; then cargo build -q --release -p marktplatz-ffi; else cargo build -q -p marktplatz-ffi; fi
LIB="$TARGET_DIR/$PROFILE/libmarktplatz_ffi.so"
[ -f "$LIB" ] || LIB="$TARGET_DIR/$PROFILE/libmarktplatz_ffi.dylib"

KOTLIN_OUT=android/core-bridge/build/generated
SWIFT_OUT=ios/MarktplatzKit/Generated
rm -rf "$KOTLIN_OUT" "$SWIFT_OUT"
mkdir -p "$KOTLIN_OUT" "$SWIFT_OUT"
cargo run -q -p uniffi-bindgen -- generate --library "$LIB" --language kotlin \
  --out-dir "$KOTLIN_OUT" --no-format
cargo run -q -p uniffi-bindgen -- generate --library "$LIB" --language swift \
  --out-dir "$SWIFT_OUT" --no-format
echo "bindings: Kotlin in $KOTLIN_OUT, Swift in $SWIFT_OUT (from $LIB)"
