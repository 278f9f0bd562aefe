#!/usr/bin/env bash
# Throughput and memory of the SSO extension log reader: ca-doctor check of a
# Mac root whose user has one SSO extension log file of each size, against
# `LC_ALL=C grep -c -F` given the signature texts, on the same file.
# Usage: scripts/bench-sso-logs.sh [sizes in MB...]   (default: 256)
set -euo pipefail
case "${1:-}" in
  -h|--help)
    sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
esac

cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(256)
runs=${BENCH_RUNS:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet --bin ca-doctor --example bench_log
bin=target/release/ca-doctor
gen=target/release/examples/bench_log
"$gen" --patterns > "$work/patterns.txt"
folder="$work/root/Users/bench/Library/Containers/com.microsoft.CompanyPortalMac.ssoextension/Data/Library/Caches/Logs/Microsoft/SSOExtension"
mkdir -p "$folder"
# The unified log: one line, so that the files are what is measured.
printf '2026-11-20 09:00:00.000 Df Jamf Conditional Access[1:2] [com.jamf.management.jamfAAD:workflow] AAD ID acquired for macOS user account bench\n' > "$work/unified.log"

# shellcheck source-path=SCRIPTDIR/.. source=scripts/bench-common.sh
. scripts/bench-common.sh

printf '%-26s %10s %10s %10s %12s %14s\n' "input" "grep s" "grep MB/s" "ours s" "ours MB/s" "ours peak RSS"
for mb in "${sizes[@]}"; do
  log="$folder/SSOExtension 2026-11-18--12-00-00-000.log"
  "$gen" --sso-extension "$mb" > "$log"
  cat "$log" > /dev/null
  read -r gs _ < <(best env LC_ALL=C grep -c -F -f "$work/patterns.txt" "$log")
  read -r os okb < <(best "$bin" check --root "$work/root" --user bench --log "$work/unified.log" --now 2026-11-20T12:00:00Z --format json)
  grep -q '"sso_extension"' "$work/out" || { echo "the report names no SSO extension log" >&2; exit 1; }
  printf '%-26s %10s %10s %10s %12s %11s MB\n' "SSO extension ${mb} MB" "$gs" "$(mbps "$mb" "$gs")" "$os" "$(mbps "$mb" "$os")" "$((okb / 1024))"
  rm -f "$log"
done
