#!/usr/bin/env bash
# Syntax check of the Android app's UI Kotlin (everything in android/app/src/main/kotlin outside
# model/), which needs the Android SDK and Compose to compile and so cannot be built here.
#
# kotlinc parses and analyses the UI sources with the bridge, the generated bindings and the
# JVM-tested view models on the classpath. Unresolved references to Android, AndroidX and
# Compose classes are expected and ignored; a syntax error fails the check. Every run also
# compiles a probe file with a deliberate syntax error, and fails unless kotlinc reports it:
# the check proves on each run that it would catch one.
#
# Also checks the UI strings: values/ (English) and values-de/ (German) define the same names,
# and every R.string / R.plurals the Kotlin uses exists.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh >/dev/null
KOTLIN=.tools/kotlin
K=$KOTLIN/lib
OUT=android/app/build/syntax-check
GENERATED=android/core-bridge/build/generated
CP="/usr/share/java/jna.jar:$K/kotlinx-coroutines-core-jvm.jar"
mkdir -p "$OUT"

[ -f "$GENERATED/de/marktplatz/core/marktplatz.kt" ] || scripts/gen-bindings.sh debug >/dev/null

# What the UI compiles against (compiled once per change of these sources).
LIBRARY=$(find "$GENERATED" android/core-bridge/src/main/kotlin android/app/src/main/kotlin/de/marktplatz/app/model -name '*.kt' | sort)
# shellcheck disable=SC2086
HASH=$(cat $LIBRARY | sha256sum | cut -c1-16)
LIB_JAR="$OUT/library-$HASH.jar"
if [ ! -f "$LIB_JAR" ]; then
  rm -f "$OUT"/library-*.jar
  echo "android-syntax: compiling the bridge and view models ($(echo "$LIBRARY" | wc -w) files)"
  # shellcheck disable=SC2086
  "$KOTLIN/bin/kotlinc" -nowarn -jvm-target 17 -cp "$CP" $LIBRARY -d "$LIB_JAR"
fi

UI=$(find android/app/src/main/kotlin -name '*.kt' -not -path '*/de/marktplatz/app/model/*' | sort)
[ -n "$UI" ] || { echo "android-syntax: no UI sources found" >&2; exit 1; }
PROBE="$OUT/SyntaxProbe.kt"
printf 'package probe\n\n// Deliberately broken: the check must report this.\nfun probe(a: Int = 1 {\n    return a\n}\n' >"$PROBE"

LOG="$OUT/kotlinc.log"
# kotlinc fails (unresolved Android classes): its diagnostics are what we read.
# shellcheck disable=SC2086
"$KOTLIN/bin/kotlinc" -nowarn -jvm-target 17 -cp "$CP:$LIB_JAR" $UI "$PROBE" -d "$OUT/classes" >"$LOG" 2>&1 || true

SYNTAX=$(grep -E '^[^ ]+\.kt:[0-9]+:[0-9]+: error: syntax error' "$LOG" || true)
PROBE_HITS=$(echo "$SYNTAX" | grep -c "SyntaxProbe.kt" || true)
REAL=$(echo "$SYNTAX" | grep -v "SyntaxProbe.kt" | grep -v '^$' || true)
OTHER=$(grep -cE '^[^ ]+\.kt:[0-9]+:[0-9]+: error: ' "$LOG" || true)

if [ "$PROBE_HITS" -eq 0 ]; then
  cat "$LOG" | tail -20
  echo "android-syntax: the probe's deliberate syntax error was not reported: the check is broken" >&2
  exit 1
fi
if [ -n "$REAL" ]; then
  echo "$REAL"
  echo "android-syntax: syntax errors in the Android UI Kotlin" >&2
  exit 1
fi
echo "android-syntax: $(echo "$UI" | wc -w) UI files parsed, no syntax errors (the probe's deliberate one was caught; $((OTHER - PROBE_HITS)) other diagnostics, unresolved Android/Compose references, ignored)"

.tools/pyenv/bin/python scripts/check_android_strings.py android/app/src/main
