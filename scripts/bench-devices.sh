#!/usr/bin/env bash
# Device-chain benchmark: `ca-doctor device --device-id ID --tenant DIR`
# over COUNT Entra device objects (Graph pages) and COUNT Jamf Pro
# computers (inventory pages), the device asked for being one of them;
# wall time and peak RSS, three runs.
set -euo pipefail
case "${1:-}" in
  -h|--help)
    cat <<'USAGE'
Usage: scripts/bench-devices.sh [COUNT]   (default: 100000)

Generates deterministic exports (examples/bench_devices.rs: Graph device
objects of about 1.9 KB, inventory records of about 3.7 KB with the
GENERAL, HARDWARE, LOCAL_USER_ACCOUNTS and EXTENSION_ATTRIBUTES sections,
1000 a page), then times ca-doctor device on the device of record
COUNT/2 (its Entra object and its Jamf Pro computer are found, the rest is
read and left).
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

# The generator's device ID of record n (see guid() there).
id=$(printf '%08x-0000-4222-8000-000000002222' $((count / 2)))
"$bin" device --device-id "$id" --tenant "$work" --now 2026-11-20T12:00:00-05:00 \
  | grep -q "^  Jamf Pro computer .*(ID $((count / 2)))" || { echo "bench-devices.sh: the device was not found" >&2; exit 1; }
printf '%-28s %10s %8s %14s\n' "input" "MB" "s" "peak RSS"
for _ in 1 2 3; do
  start=$EPOCHREALTIME
  kb=$( { /usr/bin/time -f "%M" "$bin" device --device-id "$id" --tenant "$work" \
        --now 2026-11-20T12:00:00-05:00 --format json > /dev/null; } 2>&1 | tail -n 1)
  end=$EPOCHREALTIME
  secs=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')
  printf '%-28s %10s %8s %11s MB\n' "$count devices + $count computers" "$size" "$secs" "$((kb / 1024))"
done
