#!/usr/bin/env bash
# Browser tests of the organiser console (docs/adr/0016-organiser-console.md) and of the
# attendee programme (scripts/browser/programme.mjs, its search programme-search.mjs, issue 20): headless
# Chromium drives the pages of a real `marktplatz serve` on loopback: sign in by link, import
# a CSV with preview and confirm, announce, sign out, each page checked with axe-core for
# WCAG 2.1 A/AA, import and announce by keyboard only (scripts/browser/console.mjs); the
# programme's edit pages, a retime by keyboard only and a conflict (console-edit.mjs); releases
# with revert, the access code and an XLSX import made at test time (console-admin.mjs); the
# gallery and the hall map with pictures made at test time (console-media.mjs); the programme
# printed in A4 and its hall map by keyboard (programme-print.mjs).
# Installs what it needs: Debian's `chromium` (apt) if missing, and npm `playwright-core` and
# `axe-core` into scripts/browser/node_modules (gitignored; versions in package.json).
# With SCREENS=DIR (e.g. docs/screens), screenshots of the main pages are saved there.
set -euo pipefail
cd "$(dirname "$0")/.."

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ]; then
  echo "browser-test: installing chromium (apt)"
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium
fi
if [ ! -d scripts/browser/node_modules/playwright-core ] || [ ! -d scripts/browser/node_modules/axe-core ]; then
  echo "browser-test: installing playwright-core and axe-core (npm)"
  (cd scripts/browser && npm ci --no-audit --no-fund --silent)
fi

cargo build -q -p marktplatz-cli
bin=target/debug/marktplatz
work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

event=mp-browser-test
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
"$bin" serve --data "$work/srv" --listen "127.0.0.1:$port" --log warn 2>"$work/serve.log" &
server_pid=$!
for _ in $(seq 1 50); do
  curl -fs "$base/organiser/console.css" >/dev/null 2>&1 && break
  sleep 0.2
done
link=$("$bin" token --data "$work/srv" --event "$event" --role organiser --subject browser-test --link "$base" 2>/dev/null)

[ -z "${SCREENS:-}" ] || mkdir -p "$SCREENS"
CHROMIUM="$CHROMIUM" node scripts/browser/console.mjs "$base" "$link" docs/examples/programm.csv "$event"
# The attendee programme of the event the console just published (issue 20), before the
# edit pages change it; then public again for them.
CHROMIUM="$CHROMIUM" node scripts/browser/programme.mjs "$base" "$event"
# Search on the programme: as you type, by keyboard, the search page, offline.
CHROMIUM="$CHROMIUM" node scripts/browser/programme-search.mjs "$base" "$event"
# The same event protected by an access code: the form, the code kept on the device, offline.
admin=$("$bin" token --data "$work/srv" --role admin --subject browser-test 2>/dev/null)
curl -fsS -X PUT -H "authorization: Bearer $admin" -H 'content-type: application/json' \
  --data '{"code":"Markthalle-2027"}' "$base/v1/admin/events/$event/access-code" >/dev/null
CHROMIUM="$CHROMIUM" node scripts/browser/programme.mjs "$base" "$event" Markthalle-2027
curl -fsS -X DELETE -H "authorization: Bearer $admin" "$base/v1/admin/events/$event/access-code" >/dev/null

# The edit pages, on the programme console.mjs imported (a second one-time link).
link=$("$bin" token --data "$work/srv" --event "$event" --role organiser --subject browser-edit --link "$base" 2>/dev/null)
CHROMIUM="$CHROMIUM" node scripts/browser/console-edit.mjs "$base" "$link" "$event"

# The gallery and the hall map, on the same event (pictures made now by make-images.py).
link=$("$bin" token --data "$work/srv" --event "$event" --role organiser --subject browser-media --link "$base" 2>/dev/null)
python3 scripts/browser/make-images.py "$work/images"
CHROMIUM="$CHROMIUM" node scripts/browser/console-media.mjs "$base" "$link" "$event" "$work/images"

# Releases with revert, the access code, the device count and an XLSX import, on an event of
# their own: a workbook made now (make-xlsx.py), and the same with a title changed.
event2=mp-browser-admin
link2=$("$bin" token --data "$work/srv" --event "$event2" --role organiser --subject browser-test --link "$base" 2>/dev/null)
python3 scripts/browser/make-xlsx.py "$work/programm.xlsx"
python3 scripts/browser/make-xlsx.py "$work/programm-2.xlsx" "OZG-Umsetzung (verschoben)"
CHROMIUM="$CHROMIUM" XLSX_CHANGED="$work/programm-2.xlsx" node scripts/browser/console-admin.mjs "$base" "$link2" "$work/programm.xlsx" "$event2"

# The programme printed (day and station sheets, A4) and its hall map (a plan and positions
# published for the event here, last: it changes the event).
CHROMIUM="$CHROMIUM" node scripts/browser/programme-print.mjs "$base" "$event" "$admin"
