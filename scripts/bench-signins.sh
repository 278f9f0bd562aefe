#!/usr/bin/env bash
# Sign-in export benchmark: `ca-doctor signins --format json` against jq
# counting the error codes of the same Graph export, wall time and peak RSS.
set -euo pipefail
case "${1:-}" in
  -h|--help)
    cat <<'USAGE'
Usage: scripts/bench-signins.sh [sizes in MB...]   (default: 256 512)

Generates deterministic Graph sign-in exports (examples/bench_signins.rs,
records of about 2.5 KB), then times ca-doctor signins --format json and
jq '[.value[].status.errorCode] | group_by(.) | ...' on each (needs jq).
USAGE
    exit 0
    ;;
esac

cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(256 512)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet --bin ca-doctor --example bench_signins
bin=target/release/ca-doctor
gen=target/release/examples/bench_signins
command -v jq > /dev/null || { echo "bench-signins.sh: jq is needed (apt-get install jq)" >&2; exit 1; }

# Prints "seconds peak_kb" of one run (wall time from the shell's clock).
measure() {
  local start end kb
  start=$EPOCHREALTIME
  kb=$( { /usr/bin/time -f "%M" "$@" > "$work/out"; } 2>&1 | tail -n 1)
  end=$EPOCHREALTIME
  awk -v a="$start" -v b="$end" -v kb="$kb" 'BEGIN { printf "%.2f %d\n", b - a, kb }'
}

printf '%-16s %8s %10s %12s %10s %12s %14s\n' "input" "records" "jq s" "jq peak RSS" "ours s" "ours MB/s" "ours peak RSS"
for mb in "${sizes[@]}"; do
  file="$work/signins-$mb.json"
  "$gen" "$mb" > "$file"
  cat "$file" > /dev/null
  read -r js jkb < <(measure jq '[.value[].status.errorCode] | group_by(.) | map({key: (.[0]|tostring), value: length}) | from_entries' "$file")
  read -r os okb < <(measure "$bin" signins --format json "$file")
  records=$(sed -n 's/^    "records": \([0-9]*\).*/\1/p' "$work/out")
  mbps=$(awk -v mb="$mb" -v s="$os" 'BEGIN { if (s <= 0) s = 0.01; printf "%.0f", mb / s }')
  printf '%-16s %8s %10s %9s MB %10s %12s %11s MB\n' "Graph ${mb} MB" "$records" "$js" "$((jkb / 1024))" "$os" "$mbps" "$((okb / 1024))"
  rm -f "$file"
done
