#!/bin/bash
# Jamf Pro extension attribute "CA Doctor: last success" (data type: Date).
# Paste into Settings > Computer management > Extension attributes > Script.
# Prints the last successful Conditional Access sign-in as YYYY-MM-DD hh:mm:ss,
# and an empty result (a valid Date value) when there is none or ca-doctor is
# missing: a Date EA cannot hold "not installed" (the status EA says that).
# CA_DOCTOR_DESTROOT exists for tests; Jamf Pro runs this as root with its own environment.
root=${CA_DOCTOR_DESTROOT:-}
case "${1:-}" in
  -h|--help)
    cat <<'USAGE'
Usage: ea-last-success.sh   (a Jamf Pro extension attribute, Date)

Prints <result>YYYY-MM-DD hh:mm:ss</result>, the last successful sign-in, or
an empty result when there is none or ca-doctor is not installed.
USAGE
    exit 0
    ;;
esac
bin="$root/usr/local/bin/ca-doctor"
if [ ! -x "$bin" ]; then
  echo "<result></result>"
  exit 0
fi
out=$("$bin" ea --field last-success --root "${root:-/}" 2>/dev/null)
case "$out" in
  *"<result>"*) printf '%s\n' "$out" ;;
  *) echo "<result></result>" ;;
esac
exit 0
