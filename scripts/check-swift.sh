#!/usr/bin/env bash
# Parses every hand-written Swift file with tree-sitter-swift (PyPI) and fails on syntax errors.
# There is no Swift compiler on the CI machine: this checks syntax only, not types. uniffi's
# generated MarktplatzFFI.swift is skipped (it uses attributes the grammar does not know).
# Then checks the app's string catalogue: every UI string the Swift shows has German.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh >/dev/null
.tools/pyenv/bin/python scripts/check_swift_syntax.py ios
exec .tools/pyenv/bin/python scripts/check_swift_strings.py ios
