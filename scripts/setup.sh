#!/usr/bin/env bash
# Installs what the tests need beyond Rust, only where it is missing (idempotent):
#   Debian: libjna-java, junit4 (Kotlin JVM tests), a JDK, curl and jq (deployment test)
#   npm:    kotlin-compiler@2.4.20 into .tools/kotlin (kotlinc + kotlinx-coroutines jars)
#   PyPI:   tree-sitter + tree-sitter-swift into .tools/pyenv (Swift syntax check)
#   crates.io: cargo-deny (licences, bans, sources, advisories; deny.toml)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
TOOLS="$ROOT/.tools"
mkdir -p "$TOOLS"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

need_apt=()
[ -f /usr/share/java/jna.jar ] || need_apt+=(libjna-java)
[ -f /usr/share/java/junit4.jar ] || need_apt+=(junit4)
command -v java >/dev/null 2>&1 || need_apt+=(default-jdk-headless)
command -v python3 >/dev/null 2>&1 || need_apt+=(python3 python3-venv)
command -v npm >/dev/null 2>&1 || need_apt+=(npm)
# The deployment test (scripts/test-deploy.sh) talks to nginx and the server with curl and jq.
command -v curl >/dev/null 2>&1 || need_apt+=(curl)
command -v jq >/dev/null 2>&1 || need_apt+=(jq)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing ${need_apt[*]} (apt)"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

for component in rustfmt clippy; do
  cargo "${component/rustfmt/fmt}" --version >/dev/null 2>&1 || rustup component add "$component"
done

CARGO_DENY_VERSION=0.20.2
if ! cargo deny --version >/dev/null 2>&1; then
  echo "setup: installing cargo-deny@$CARGO_DENY_VERSION (crates.io)"
  cargo install -q --locked "cargo-deny@$CARGO_DENY_VERSION"
fi

KOTLIN_VERSION=2.4.20
if [ ! -x "$TOOLS/kotlin/bin/kotlinc" ]; then
  echo "setup: fetching kotlin-compiler@$KOTLIN_VERSION (npm)"
  rm -rf "$TOOLS/kotlin" "$TOOLS/kotlin-npm" && mkdir -p "$TOOLS/kotlin-npm"
  (cd "$TOOLS/kotlin-npm" && npm pack --silent "kotlin-compiler@$KOTLIN_VERSION" >/dev/null \
     && tar xzf "kotlin-compiler-$KOTLIN_VERSION.tgz")
  mv "$TOOLS/kotlin-npm/package" "$TOOLS/kotlin" && rm -rf "$TOOLS/kotlin-npm"
  chmod +x "$TOOLS/kotlin/bin/"* 2>/dev/null || true
fi

if [ ! -x "$TOOLS/pyenv/bin/python" ] || ! "$TOOLS/pyenv/bin/python" -c 'import tree_sitter, tree_sitter_swift' 2>/dev/null; then
  echo "setup: installing tree-sitter + tree-sitter-swift (pip)"
  python3 -m venv "$TOOLS/pyenv" 2>/dev/null || { as_root apt-get install -y -qq python3-venv >/dev/null; python3 -m venv "$TOOLS/pyenv"; }
  "$TOOLS/pyenv/bin/pip" install -q --disable-pip-version-check tree-sitter tree-sitter-swift
fi
echo "setup: ok"
