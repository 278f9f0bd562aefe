#!/usr/bin/env bash
# Fleet benchmark: `ca-doctor fleet` over COUNT computers of Jamf Pro
# inventory (examples/bench_fleet.rs, about 10 KB each) against jq doing
# the same counts (computers by the status attribute's first word). Wall
# time and peak RSS of three runs each, warm page cache.
set -euo pipefail
case "${1:-}" in
  -h|--help)
    echo "Usage: scripts/bench-fleet.sh [COUNT [PAGE_SIZE]]   (default: 100000 in pages of 1000; needs jq)"
    exit 0
    ;;
esac
cd "$(dirname "$0")/.."
count="${1:-100000}"
page_size="${2:-1000}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
command -v jq > /dev/null || { echo "bench-fleet.sh: jq is needed (apt-get install jq)" >&2; exit 1; }
cargo build --release --quiet --bin ca-doctor --example bench_fleet
target/release/examples/bench_fleet "$count" "$work/inventory" "$page_size"
echo "inventory: $count computers in pages of $page_size, $(du -sh "$work/inventory" | cut -f1)"
cat "$work"/inventory/*.json > /dev/null

# Prints "seconds peak_MB" of one run.
measure() {
  local start end kb
  start=$EPOCHREALTIME
  kb=$( { /usr/bin/time -f "%M" "$@" > "$work/out"; } 2>&1 | tail -n 1)
  end=$EPOCHREALTIME
  awk -v a="$start" -v b="$end" -v kb="$kb" 'BEGIN { printf "%.2f s, %d MB\n", b - a, kb / 1024 }'
}
for run in 1 2 3; do
  echo "run $run: ca-doctor fleet (human): $(measure target/release/ca-doctor fleet --inventory "$work/inventory" --now 2026-11-20T12:00:00Z)"
done
head -n 3 "$work/out"
for run in 1 2 3; do
  echo "run $run: ca-doctor fleet --format csv: $(measure target/release/ca-doctor fleet --inventory "$work/inventory" --now 2026-11-20T12:00:00Z --format csv)"
done
jq_counts() {
  jq -r '.results[].extensionAttributes[] | select(.name == "CA Doctor: status") | .values[0] // "" | split(":")[0]' "$work"/inventory/*.json | sort | uniq -c
}
for run in 1 2 3; do
  echo "run $run: jq counts: $(measure bash -c "$(declare -f jq_counts); work='$work'; jq_counts")"
done
cat "$work/out"
