#!/usr/bin/env bash
# Throughput and memory benchmark: ca-doctor against `LC_ALL=C grep -c -F`
# given the same signature strings, on deterministic compact-style logs.
# Usage: scripts/bench.sh [sizes in MB...]   (default: 256 1024)
set -euo pipefail
case "${1:-}" in
  -h|--help)
    cat <<'USAGE'
Usage: scripts/bench.sh [sizes in MB...]   (default: 256 1024)

Times ca-doctor check against LC_ALL=C grep -c -F over deterministic
compact-style logs of each size; BENCH_RUNS (default 3) runs, best kept.
USAGE
    exit 0
    ;;
esac

cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(256 1024)
runs=${BENCH_RUNS:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet --bin ca-doctor --example bench_log
bin=target/release/ca-doctor
gen=target/release/examples/bench_log
"$gen" --patterns > "$work/patterns.txt"
mkdir -p "$work/root/Users/bench"

# shellcheck source-path=SCRIPTDIR/.. source=scripts/bench-common.sh
. scripts/bench-common.sh

printf '%-22s %10s %10s %10s %12s %14s\n' "input" "grep s" "grep MB/s" "ours s" "ours MB/s" "ours peak RSS"
for mb in "${sizes[@]}"; do
  log="$work/compact-$mb.log"
  "$gen" "$mb" > "$log"
  cat "$log" > /dev/null
  read -r gs _ < <(best env LC_ALL=C grep -c -F -f "$work/patterns.txt" "$log")
  read -r os okb < <(best "$bin" check --root "$work/root" --user bench --log "$log" --now 2026-11-20T12:00:00Z --format json)
  printf '%-22s %10s %10s %10s %12s %11s MB\n' "compact ${mb} MB" "$gs" "$(mbps "$mb" "$gs")" "$os" "$(mbps "$mb" "$os")" "$((okb / 1024))"
  rm -f "$log"
done

long="$work/long-line.log"
"$gen" --long-line 30 > "$long"
read -r ls lkb < <(best "$bin" check --root "$work/root" --user bench --log "$long" --now 2026-11-20T12:00:00Z --format json)
printf '%-22s %10s %10s %10s %12s %11s MB\n' "one 30 MB line" "-" "-" "$ls" "$(mbps 30 "$ls")" "$((lkb / 1024))"
