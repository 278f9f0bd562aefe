#!/usr/bin/env bash
# Runs one ca-doctor binary over every bundled fixture, in every command and
# format, and writes each run's standard output, standard error and exit code
# into OUT (one file per run). Two builds are compared with `diff -r`:
#
#   scripts/compare-outputs.sh old/ca-doctor /tmp/before [EXTRA_ROOTS]
#   scripts/compare-outputs.sh target/debug/ca-doctor /tmp/after [EXTRA_ROOTS]
#   diff -r /tmp/before /tmp/after
#
# EXTRA_ROOTS, when given, is a folder of further Mac roots (one folder each,
# a copy of `/`), checked with the healthy fixture's log and the tenant exports.
set -euo pipefail
bin=$(realpath "$1")
out=$2
extra=${3:-}
cd "$(dirname "$0")/.."
rm -rf "$out"
mkdir -p "$out"
work=/tmp/ca-doctor-compare
rm -rf "$work"
mkdir -p "$work"
now=2026-11-20T12:00:00-05:00
entra=fixtures/entra
policies=$entra/policies

# run NAME ARGS...: one run, its outputs under $out/NAME.
run() {
  local name=$1
  shift
  local code=0
  NO_COLOR=1 "$bin" "$@" >"$out/$name.out" 2>"$out/$name.err" </dev/null || code=$?
  echo "$code" >"$out/$name.code"
  # analyze's temporary folders are named at random.
  sed -i -E 's#ca-doctor-analyze-[A-Za-z0-9]{6}#ca-doctor-analyze-XXXXXX#g' "$out/$name.out" "$out/$name.err"
}

for dir in fixtures/*/; do
  name=$(basename "$dir")
  [ -d "$dir/root" ] || continue
  fixture_now=$(sed -n 's/.*"now": "\(.*\)".*/\1/p' "$dir/expect.json")
  base=(check --root "$dir/root" --user test.user --now "$fixture_now")
  run "$name.check.human" "${base[@]}" --log "$dir/log.compact.txt" --color never
  run "$name.check.verbose" "${base[@]}" --log "$dir/log.compact.txt" --color never --verbose
  run "$name.check.html" "${base[@]}" --log "$dir/log.compact.txt" --format html
  for log in "$dir"/log.*; do
    run "$name.check.json.$(basename "$log")" "${base[@]}" --log "$log" --format json
  done
  run "$name.check.tenant" "${base[@]}" --log "$dir/log.ndjson" --format json \
    --signins "$entra/graph-v1.0.json" --signins "$entra/SigninLogs.csv" --policies "$policies"
  run "$name.ea.status" ea --root "$dir/root" --user test.user --now "$fixture_now" --log "$dir/log.ndjson"
  run "$name.ea.last" ea --root "$dir/root" --user test.user --now "$fixture_now" --log "$dir/log.ndjson" --field last-success
  for format in human json; do
    rm -f "$work/state.json"
    run "$name.tick.$format" tick --root "$dir/root" --user test.user --now "$fixture_now" \
      --log "$dir/log.ndjson" --state "$work/state.json" --format "$format"
  done
  run "$name.analyze.plain" analyze "$dir/log.ndjson" --format json
  run "$name.analyze.plain.human" analyze "$dir/log.default.txt" --color never --now "$fixture_now"
  rm -f "$work/bundle.zip"
  run "$name.collect" collect --root "$dir/root" --user test.user --now "$fixture_now" \
    --log "$dir/log.ndjson" --output "$work/bundle.zip"
  if [ -f "$work/bundle.zip" ]; then
    rm -rf "$work/unzipped"
    mkdir -p "$work/unzipped"
    (cd "$work/unzipped" && unzip -q ../bundle.zip)
    for entry in report.txt verdict.json; do
      cp "$work/unzipped/$entry" "$out/$name.collect.$entry"
    done
    # The manifest, less what describes the machine that ran it.
    grep -v -E '"(hostname|kernel|memory|uptime|cpu|os|boot|total_memory|used_memory|arch)' \
      "$work/unzipped/manifest.json" >"$out/$name.collect.manifest.json" || true
    run "$name.analyze.bundle" analyze "$work/bundle.zip" --format json
    run "$name.analyze.bundle.html" analyze "$work/bundle.zip" --format html
  fi
done

for file in "$entra"/*.json "$entra"/*.csv; do
  name=$(basename "$file")
  run "signins.$name.human" signins "$file" --color never
  run "signins.$name.verbose" signins "$file" --color never --verbose
  run "signins.$name.json" signins "$file" --format json
  run "signins.$name.html" signins "$file" --format html
  run "signins.$name.policies" signins "$file" --format json --policies "$policies"
done
run signins.all.app signins "$entra"/*.json --jamf-connect-app c0ffee00-1111-4222-8333-444455556666 --format json
run signins.missing signins /nonexistent.json --format json
for source in "$policies/graph.json" "$policies/powershell"; do
  name=$(basename "$source")
  run "policies.$name.human" policies "$source" --color never
  run "policies.$name.verbose" policies "$source" --color never --verbose
  run "policies.$name.json" policies "$source" --format json
  run "policies.$name.html" policies "$source" --format html
  run "policies.$name.signins" policies "$source" --format json --signins "$entra/graph-beta.json"
done
run policies.missing policies /nonexistent.json --format json

if [ -n "$extra" ]; then
  for root in "$extra"/*/; do
    name=extra.$(basename "$root")
    base=(check --root "$root" --user test.user --now "$now" --log fixtures/healthy/log.ndjson)
    run "$name.human" "${base[@]}" --color never
    run "$name.verbose" "${base[@]}" --color never --verbose
    run "$name.json" "${base[@]}" --format json
    run "$name.html" "${base[@]}" --format html
    run "$name.tenant" "${base[@]}" --format json --policies "$policies/graph.json" \
      --signins "$entra/graph-v1.0.json" --signins "$entra/powershell-utf16.json"
    run "$name.tenant.human" "${base[@]}" --color never --policies "$policies/graph.json" \
      --signins "$entra/graph-v1.0.json"
    run "$name.ea" ea --root "$root" --user test.user --now "$now" --log fixtures/healthy/log.ndjson
    run "$name.signins" signins "$entra/graph-v1.0.json" --root "$root" --format json --policies "$policies"
    run "$name.policies" policies "$policies/graph.json" --root "$root" --color never
    run "$name.policies.json" policies "$policies/graph.json" --root "$root" --format json
    rm -f "$work/bundle.zip"
    run "$name.collect" collect --root "$root" --user test.user --now "$now" \
      --log fixtures/healthy/log.ndjson --output "$work/bundle.zip"
    [ -f "$work/bundle.zip" ] && run "$name.analyze" analyze "$work/bundle.zip" --format json \
      --policies "$policies/graph.json"
  done
fi

# The device chain: every way of naming a device, every format.
chain=fixtures/device-chain/tenant
for query in "--device-id 7c1e9a40-2d3b-4e5f-8a6b-7c8d9e0f1a2b" "--device-id 0d6f3c2e-5b1a-4c7d-9e8f-1a2b3c4d5e6f" \
  "--serial c02xk1jhjg5h" "--name Jane's.MacBook" "--upn Jane@Contoso.com" "--device-id 00000000-0000-0000-0000-000000000000"; do
  read -r flag value <<<"$query"
  value=${value//./ }
  name=device.${flag#--}.$value
  name=${name// /_}
  for format in human json html; do
    run "$name.$format" device "$flag" "$value" --tenant "$chain" --now "$now" --format "$format" --color never
  done
  run "$name.verbose" device "$flag" "$value" --tenant "$chain" --now "$now" --color never --verbose
done
for shape in fixtures/device-chain/shapes/*; do
  run "device.shape.$(basename "$shape")" device --device-id 7c1e9a40-2d3b-4e5f-8a6b-7c8d9e0f1a2b \
    --tenant "$shape" --now "$now" --format json
done
# --tenant folders and files on the other commands.
healthy=(--root fixtures/healthy/root --user test.user --now 2026-11-20T12:00:00-05:00 --log fixtures/healthy/log.ndjson)
run tenant.check.chain check "${healthy[@]}" --tenant "$chain" --format json
run tenant.check.chain.human check "${healthy[@]}" --tenant "$chain" --color never
run tenant.check.entra check "${healthy[@]}" --tenant "$entra" --format json
run tenant.check.info-plist check "${healthy[@]}" --tenant fixtures/healthy/root --format json
run tenant.signins.chain signins --tenant "$chain" --format json
run tenant.signins.entra signins --tenant "$entra" --color never
run tenant.policies.entra policies --tenant "$entra" --format json
run tenant.analyze.chain analyze fixtures/healthy/log.ndjson --tenant "$chain" --format json

# The fleet: API pages, a search export, the Entra join, every format.
fleet=fixtures/fleet
for inventory in "$fleet/inventory" "$fleet/search.csv"; do
  name=fleet.$(basename "$inventory")
  for format in human json csv html; do
    run "$name.$format" fleet --inventory "$inventory" --now "$now" --format "$format"
    run "$name.tenant.$format" fleet --inventory "$inventory" --tenant "$fleet/tenant" --now "$now" --format "$format"
  done
done
run fleet.ea-named fleet --inventory "$fleet/search.csv" --ea "CA Doctor: status" --now "$now" --format json
run fleet.ea-other fleet --inventory "$fleet/search.csv" --ea "battery health" --now "$now" --format json
run fleet.ea-missing fleet --inventory "$fleet/search.csv" --ea Nope --now "$now"
run fleet.no-inventory fleet
# History over three runs (the snapshots' names carry the clock).
rm -rf "$work/history"
for day in 2026-11-18T12:00:00Z 2026-11-19T12:00:00Z 2026-11-20T12:00:00Z; do
  for format in human json html; do
    run "fleet.history.$day.$format" fleet --inventory "$fleet/inventory" --history "$work/history" \
      --now "$day" --format "$format"
  done
done
ls "$work/history" >"$out/fleet.history.files"

# Usage errors and unreadable inputs.
run err.no-log check --root fixtures/healthy/root --user test.user --log /nonexistent --now "$now"
run err.bad-now check --root fixtures/healthy/root --user test.user --log fixtures/healthy/log.ndjson --now yesterday
run err.bad-flag check --frobnicate
run err.no-user check --root fixtures/healthy/root --user nobody.here --log fixtures/healthy/log.ndjson --now "$now"
run err.ea-bad ea --since nonsense
run err.analyze-missing analyze /nonexistent.zip
rm -rf "$work"
echo "$(find "$out" -name '*.code' | wc -l) runs written to $out"
