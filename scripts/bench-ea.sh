#!/usr/bin/env bash
# Incremental-mode benchmark:
#  1. `ca-doctor ea` answering from fresh state: median wall time of N runs;
#  2. side by side, a public-style EA pipeline (`log show ... | grep`, with a
#     stub `log` that serves the same 5-day log as fast as cat can) against
#     `ca-doctor ea` from state;
#  3. entries read by a tick after K new entries (debug build: the stub `log`
#     seam exists only in debug builds; counts, not times).
# Usage: scripts/bench-ea.sh [log MB] [runs]   (default: 256 50)
set -euo pipefail
case "${1:-}" in
  -h|--help)
    cat <<'USAGE'
Usage: scripts/bench-ea.sh [log MB] [runs]   (default: 256 50)

Times ca-doctor ea from fresh state against a public-style log show | grep
pipeline, and counts the entries a tick reads after new ones arrive.
USAGE
    exit 0
    ;;
esac

cd "$(dirname "$0")/.."
mb=${1:-256}
runs=${2:-50}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet --bin ca-doctor --example bench_log
cargo build --quiet --bin ca-doctor
release=target/release/ca-doctor
debug=target/debug/ca-doctor
now=2026-11-20T12:00:00Z
user=test.user

# A Mac with a registered user, and a 5-day log ending at $now.
mkdir -p "$work/root/Users/$user/Library/Preferences"
cp "fixtures/healthy/root/Users/$user/Library/Preferences/com.jamf.management.jamfAAD.plist" \
  "$work/root/Users/$user/Library/Preferences/"
target/release/examples/bench_log "$mb" 5 > "$work/5d.log"
state="$work/state.json"

ms_since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f\n", (b - a) * 1000 }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

start=$EPOCHREALTIME
"$release" tick --root "$work/root" --state "$state" --user "$user" --log "$work/5d.log" --now "$now" > "$work/tick.txt"
tick_ms=$(ms_since "$start")

: > "$work/ea-times"
for _ in $(seq "$runs"); do
  start=$EPOCHREALTIME
  "$release" ea --root "$work/root" --state "$state" --user "$user" --now "$now" > "$work/ea.out"
  ms_since "$start" >> "$work/ea-times"
done
ea_median=$(median < "$work/ea-times")
ea_result=$(cat "$work/ea.out")

# The public-style EA pipeline with a stub `log` (cat: a lower bound for the real one).
mkdir -p "$work/stub"
printf '#!/bin/sh\ncat "%s"\n' "$work/5d.log" > "$work/stub/log"
chmod +x "$work/stub/log"
: > "$work/grep-times"
for _ in $(seq 5); do
  start=$EPOCHREALTIME
  "$work/stub/log" show --style compact --debug --last 5d \
    | grep -c "for silent token acquire to fail now if the wrong account is picked" > "$work/grep.out" || true
  ms_since "$start" >> "$work/grep-times"
done
grep_median=$(median < "$work/grep-times")

# Entries read by ticks through the stub seam: K new entries, about K read.
mkdir -p "$work/stub2"
head -n 100000 "$work/5d.log" > "$work/served.log"
cat > "$work/stub2/log" <<STUB
#!/bin/sh
start=""
while [ \$# -gt 0 ]; do [ "\$1" = --start ] && start=\$2; shift; done
awk -v s="\$start" 'substr(\$0, 1, 19) >= s || NR == 1' "$work/served.log"
STUB
chmod +x "$work/stub2/log"
first=$(CA_DOCTOR_STUB_DIR="$work/stub2" "$debug" tick --root "$work/root" --state "$work/state2.json" --user "$user" --now "$now" --since 10d --format json | sed -n 's/^  "entries_read": \([0-9]*\).*/\1/p')
k=1000
sed -n "100001,$((100000 + k))p" "$work/5d.log" >> "$work/served.log"
second=$(CA_DOCTOR_STUB_DIR="$work/stub2" "$debug" tick --root "$work/root" --state "$work/state2.json" --user "$user" --now "$now" --since 10d --format json | sed -n 's/^  "entries_read": \([0-9]*\).*/\1/p')

echo "log: $mb MB over 5 days ($(wc -l < "$work/5d.log") lines)"
echo "first tick over the whole log (release, --log): ${tick_ms} ms"
echo "ca-doctor ea from fresh state: median ${ea_median} ms over $runs runs -> $ea_result"
echo "public-style EA (stub log | grep -c): median ${grep_median} ms over 5 runs"
echo "ticks through the stub log: first read $first entries; after $k new entries the next read $second"
