#!/usr/bin/env bash
# Device-chain benchmark: `ca-doctor check --tenant DIR` over COUNT Entra
# device objects (Graph pages) and COUNT Jamf Pro computers (inventory
# pages), wall time and peak RSS, three runs each.
set -euo pipefail
case "${1:-}" in
  -h|--help)
    cat <<'USAGE'
Usage: scripts/bench-devices.sh [COUNT]   (default: 100000)

Generates deterministic exports (examples/bench_devices.rs: Graph device
objects of about 1.9 KB, inventory records of about 3.7 KB with the
GENERAL, HARDWARE, LOCAL_USER_ACCOUNTS and EXTENSION_ATTRIBUTES sections,
1000 a page), then times ca-doctor check on the bundled example Mac with
--tenant pointing at them.
USAGE
    exit 0
    ;;
esac

cd "$(dirname "$0")/.."
count=${1:-100000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet --bin ca-doctor --example bench_devices
bin=target/release/ca-doctor
target/release/examples/bench_devices "$count" "$work"
size=$(du -sm "$work" | cut -f1)
cat "$work"/* > /dev/null

printf '%-28s %10s %8s %14s\n' "input" "MB" "s" "peak RSS"
for run in 1 2 3; do
  start=$EPOCHREALTIME
  kb=$( { /usr/bin/time -f "%M" "$bin" check --root fixtures/healthy/root --user test.user \
        --log fixtures/healthy/log.ndjson --now 2026-11-20T12:00:00-05:00 \
        --tenant "$work" --format json > /dev/null; } 2>&1 | tail -n 1)
  end=$EPOCHREALTIME
  secs=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')
  printf '%-28s %10s %8s %11s MB\n' "$count devices + $count computers" "$size" "$secs" "$((kb / 1024))"
done
