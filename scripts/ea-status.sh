#!/bin/bash
# Jamf Pro extension attribute "CA Doctor: status" (data type: String).
# Paste into Settings > Computer management > Extension attributes > Script.
# Prints the registration status from ca-doctor's state, e.g.
#   <result>at-risk: appsso-not-appsso-url, silent-auth-failed</result>
# and <result>not installed</result> when ca-doctor is missing.
# CA_DOCTOR_DESTROOT exists for tests; Jamf Pro runs this as root with its own environment.
root=${CA_DOCTOR_DESTROOT:-}
case "${1:-}" in
  -h|--help)
    cat <<'USAGE'
Usage: ea-status.sh   (a Jamf Pro extension attribute, String)

Prints <result>STATUS</result> from ca-doctor's state, or
<result>not installed</result> when /usr/local/bin/ca-doctor is missing.
USAGE
    exit 0
    ;;
esac
bin="$root/usr/local/bin/ca-doctor"
if [ ! -x "$bin" ]; then
  echo "<result>not installed</result>"
  exit 0
fi
out=$("$bin" ea --root "${root:-/}" 2>/dev/null)
case "$out" in
  *"<result>"*) printf '%s\n' "$out" ;;
  *) echo "<result>unknown: ca-doctor printed no result</result>" ;;
esac
exit 0
