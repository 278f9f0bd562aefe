#!/usr/bin/env bash
# Fetch benchmark: `ca-doctor signins --fetch` against a loopback server
# that answers like Graph (examples/graph_server.rs) with PAGES pages of
# PER_PAGE sign-ins: fetched page by page into the private temporary
# folder, then judged. Wall time and peak RSS of three runs.
set -euo pipefail
case "${1:-}" in
  -h|--help)
    echo "Usage: scripts/bench-fetch.sh [PAGES [PER_PAGE]]   (default: 200 1000)"
    exit 0
    ;;
esac
cd "$(dirname "$0")/.."
pages="${1:-200}"
per_page="${2:-1000}"
work=$(mktemp -d)
cargo build --release --quiet --bin ca-doctor --example graph_server
target/release/examples/graph_server "$pages" "$per_page" > "$work/url" &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 600); do [ -s "$work/url" ] && break; sleep 0.1; done
url=$(head -n 1 "$work/url")
echo "server $url: $pages pages of $per_page sign-ins"
for run in 1 2 3; do
  start=$EPOCHREALTIME
  kb=$( { CA_DOCTOR_CLIENT_SECRET=bench-secret /usr/bin/time -f "%M" \
    target/release/ca-doctor signins --format json --fetch --fetch-since 30d \
      --tenant-id contoso.onmicrosoft.com --client-id c0ffee00-1111-4222-8333-444455556666 \
      --login-url "$url" --graph-url "$url" > "$work/out"; } 2>&1 | tail -n 1)
  end=$EPOCHREALTIME
  records=$(sed -n 's/^    "records": \([0-9]*\).*/\1/p' "$work/out" | head -n 1)
  awk -v a="$start" -v b="$end" -v kb="$kb" -v r="$records" -v n="$run" \
    'BEGIN { printf "run %d: %s sign-ins judged, %.2f s, peak RSS %d MB\n", n, r, b - a, kb / 1024 }'
done
