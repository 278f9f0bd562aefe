#!/usr/bin/env bash
# Shared by the benchmark scripts: `best CMD...` runs CMD $runs times and
# prints "seconds peak_kb" (the best wall time from the shell's clock, the
# largest peak RSS from /usr/bin/time), its output in "$work/out";
# `mbps MB SECONDS` prints the throughput. Callers set $runs and $work.
# shellcheck disable=SC2154

best() {
  local best_s="" best_kb=0 line start end s kb
  for _ in $(seq "$runs"); do
    start=$EPOCHREALTIME
    # Not /dev/null: GNU grep stops at the first match when its output is /dev/null.
    line=$( { /usr/bin/time -f "%M" "$@" > "$work/out"; } 2>&1 | tail -n 1)
    end=$EPOCHREALTIME
    s=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')
    kb=$line
    if [ -z "$best_s" ] || awk -v a="$s" -v b="$best_s" 'BEGIN { exit !(a < b) }'; then best_s=$s; fi
    [ "$kb" -gt "$best_kb" ] && best_kb=$kb
  done
  echo "$best_s $best_kb"
}

mbps() { awk -v mb="$1" -v s="$2" 'BEGIN { if (s <= 0) s = 0.001; printf "%.0f", mb / s }'; }
