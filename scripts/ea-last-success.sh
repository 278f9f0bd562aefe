#!/bin/bash
# Jamf Pro extension attribute "CA Doctor: last success" (data type: Date).
# Paste into Settings > Computer management > Extension attributes > Script.
# Prints the last successful Conditional Access sign-in as YYYY-MM-DD hh:mm:ss
# (empty when none), and <result>not installed</result> when ca-doctor is missing.
# CA_DOCTOR_DESTROOT exists for tests; Jamf Pro runs this as root with its own environment.
root=${CA_DOCTOR_DESTROOT:-}
bin="$root/usr/local/bin/ca-doctor"
if [ ! -x "$bin" ]; then
  echo "<result>not installed</result>"
  exit 0
fi
out=$("$bin" ea --field last-success --root "${root:-/}" 2>/dev/null)
case "$out" in
  *"<result>"*) printf '%s\n' "$out" ;;
  *) echo "<result></result>" ;;
esac
exit 0
