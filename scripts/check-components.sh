#!/usr/bin/env bash
# The crate boundaries of docs/adr/0011-components.md, checked on the resolved dependency
# trees (cargo-deny's `bans` checks who depends on whom directly; this checks what each
# shipped artefact can reach at all, by any feature):
#   - the phone library (marktplatz-ffi) reaches no organiser code: no importers (quick-xml,
#     csv, calamine, zip), no image codecs, no demo, no publish client;
#   - the server reaches neither the device crate nor an HTTP client (reqwest, rustls).
set -euo pipefail
cd "$(dirname "$0")/.."

status=0
forbid() {
  local what=$1 tree=$2 pattern=$3
  local found
  found=$(grep -oE "^[│├└─ ]*($pattern) v[0-9][^ ]*" <<<"$tree" | sed -E 's/^[│├└─ ]*//' | sort -u || true)
  if [ -n "$found" ]; then
    echo "check-components: $what reaches what it must not:" >&2
    sed 's/^/  /' <<<"$found" >&2
    status=1
  fi
}

ffi=$(cargo tree -q -p marktplatz-ffi -e normal --all-features)
forbid "the phone library (marktplatz-ffi)" "$ffi" \
  "quick-xml|csv|calamine|rust_xlsxwriter|zip|image|marktplatz-import|marktplatz-media|marktplatz-publish"
server=$(cargo tree -q -p marktplatz-server -e normal --all-features)
forbid "the server (marktplatz-server)" "$server" "marktplatz-core|reqwest|rustls|hyper-rustls"

[ "$status" = 0 ] && echo "check-components: ok (marktplatz-ffi: no organiser code; marktplatz-server: no device crate, no HTTP client)"
exit "$status"
