#!/bin/bash
# Jamf Pro Self Service policy script "Collect Conditional Access diagnostics".
# Writes a ca-doctor bundle to the logged-in user's Desktop (named with host
# and time) for the user to send to the help desk.
# Parameter 4 (optional): "pii" to also turn e-mail addresses and user names
# into pseudonyms. Secrets are always removed.
# CA_DOCTOR_DESTROOT exists for tests; Jamf Pro runs this as root with its own environment.
root=${CA_DOCTOR_DESTROOT:-}
case "${1:-}" in
  -h|--help)
    cat <<'USAGE'
Usage: self-service-collect.sh MOUNT_POINT COMPUTER_NAME USER_NAME [pii]
       (a Jamf Pro Self Service policy script: Jamf passes the first three)

Writes a ca-doctor bundle to the logged-in user's Desktop; "pii" as
parameter 4 also turns e-mail addresses and user names into pseudonyms.
USAGE
    exit 0
    ;;
esac
bin="$root/usr/local/bin/ca-doctor"
if [ ! -x "$bin" ]; then
  echo "ca-doctor is not installed on this Mac" >&2
  exit 1
fi
args=(collect --root "${root:-/}")
if [ "${4:-}" = "pii" ]; then
  args+=(--redact-pii)
fi
exec "$bin" "${args[@]}"
