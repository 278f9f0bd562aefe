#!/usr/bin/env bash
# Reading a Logs Query API answer: `ca-doctor signins --format json` of an
# answer of each number of sign-in rows (default 500000, the API's row
# limit), wall time and peak RSS, best of $BENCH_RUNS (default 3).
# Usage: scripts/bench-query-answer.sh [rows...]
set -euo pipefail
case "${1:-}" in
  -h|--help)
    sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
esac

cd "$(dirname "$0")/.."
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(500000)
runs=${BENCH_RUNS:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet --bin ca-doctor --example bench_signins
bin=target/release/ca-doctor
gen=target/release/examples/bench_signins

# shellcheck source-path=SCRIPTDIR/.. source=scripts/bench-common.sh
. scripts/bench-common.sh

printf '%-22s %8s %10s %10s %14s\n' "input" "MB" "ours s" "ours MB/s" "ours peak RSS"
for rows in "${counts[@]}"; do
  file="$work/answer-$rows.json"
  "$gen" --query-answer "$rows" > "$file"
  cat "$file" > /dev/null
  mb=$(( $(wc -c < "$file") >> 20 ))
  read -r os okb < <(best "$bin" signins --format json "$file")
  read_rows=$(sed -n 's/^    "records": \([0-9]*\).*/\1/p' "$work/out")
  [ "$read_rows" = "$rows" ] || { echo "read $read_rows rows of $rows" >&2; exit 1; }
  printf '%-22s %8s %10s %10s %11s MB\n' "answer, ${rows} rows" "$mb" "$os" "$(mbps "$mb" "$os")" "$((okb / 1024))"
  rm -f "$file"
done
