#!/usr/bin/env bash
# Compiles the Kotlin bridge (generated bindings + android/core-bridge) with kotlinc and runs its
# JUnit tests on the JVM against the host-built library and a real `marktplatz serve --demo` on
# loopback. Also compiles the JVM-testable view models of the app, if present.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh >/dev/null
TARGET_DIR=${CARGO_TARGET_DIR:-target}
KOTLIN=.tools/kotlin
K=$KOTLIN/lib
BUILD=android/core-bridge/build
CP="/usr/share/java/jna.jar:$K/kotlinx-coroutines-core-jvm.jar:/usr/share/java/junit4.jar:/usr/share/java/hamcrest-core.jar"

cargo build -q -p marktplatz-ffi -p marktplatz-cli
scripts/gen-bindings.sh debug >/dev/null

SOURCES=$(find "$BUILD/generated" android/core-bridge/src/main/kotlin android/core-bridge/src/test/kotlin -name '*.kt')
if [ -d android/app/src/main/kotlin/de/marktplatz/app/model ]; then
  SOURCES="$SOURCES $(find android/app/src/main/kotlin/de/marktplatz/app/model android/app/src/test/kotlin -name '*.kt' 2>/dev/null)"
fi
echo "kotlin: compiling $(echo "$SOURCES" | wc -w) files"
rm -rf "$BUILD/classes" && mkdir -p "$BUILD/classes"
# shellcheck disable=SC2086
"$KOTLIN/bin/kotlinc" -nowarn -jvm-target 17 -cp "$CP" $SOURCES -d "$BUILD/classes"

DATA=$(mktemp -d)
LOG="$DATA/server.log"
ORGANISER_TOKEN=$("$TARGET_DIR/debug/marktplatz" token --data "$DATA/server" --event egov-marktplatz-nordwest-2027 --role organiser 2>/dev/null)
ADMIN_TOKEN=$("$TARGET_DIR/debug/marktplatz" token --data "$DATA/server" --role admin 2>/dev/null)
"$TARGET_DIR/debug/marktplatz" serve --data "$DATA/server" --listen 127.0.0.1:0 --demo >"$LOG" 2>&1 &
SERVER_PID=$!
trap 'kill $SERVER_PID 2>/dev/null || true; wait $SERVER_PID 2>/dev/null || true; rm -rf "$DATA"' EXIT
for _ in $(seq 1 300); do
  grep -q "listening on" "$LOG" && break
  kill -0 $SERVER_PID 2>/dev/null || { cat "$LOG"; echo "kotlin: the server did not start" >&2; exit 1; }
  sleep 0.1
done
URL=$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$LOG" | head -1)
[ -n "$URL" ] || { cat "$LOG"; echo "kotlin: no server URL" >&2; exit 1; }
echo "kotlin: server at $URL"

# KOTLIN_TESTS="de.marktplatz.app.model.SearchModelTest ..." runs only those classes.
TESTS=${KOTLIN_TESTS:-$(cd "$BUILD/classes" && find . -name '*Test.class' | sed 's|^\./||; s|\.class$||; s|/|.|g' | sort)}
MARKTPLATZ_TEST_SERVER="$URL" MARKTPLATZ_TEST_ORGANISER_TOKEN="$ORGANISER_TOKEN" MARKTPLATZ_TEST_ADMIN_TOKEN="$ADMIN_TOKEN" java -Djna.library.path="$TARGET_DIR/debug" \
  -cp "$BUILD/classes:$CP:$K/kotlin-stdlib.jar" org.junit.runner.JUnitCore $TESTS
