#!/bin/bash
# Removes ca-doctor: stops the LaunchDaemon, removes the binary, the daemon,
# log rotation, the state and the log.
#
# Usage: sudo scripts/uninstall.sh [--destroot DIR] [--keep-state]
set -euo pipefail

destroot=""
keep_state=no
label="com.cadoctor.tick"

while [ $# -gt 0 ]; do
  case "$1" in
    --destroot) destroot=${2:?--destroot needs a folder}; shift 2 ;;
    --keep-state) keep_state=yes; shift ;;
    -h|--help) sed -n '2,5p' "$0"; exit 0 ;;
    *) echo "uninstall.sh: unknown argument: $1" >&2; exit 2 ;;
  esac
done
destroot=${destroot%/}

if [ -z "$destroot" ] && [ "$(uname -s)" = "Darwin" ]; then
  launchctl bootout "system/$label" 2>/dev/null || true
fi
rm -f "$destroot/Library/LaunchDaemons/$label.plist" \
  "$destroot/usr/local/bin/ca-doctor" \
  "$destroot/etc/newsyslog.d/ca-doctor.conf" \
  "$destroot/Library/Logs/ca-doctor.log"
if [ "$keep_state" = no ]; then
  rm -rf "$destroot/Library/Application Support/ca-doctor"
fi
echo "ca-doctor removed from ${destroot:-/}."
