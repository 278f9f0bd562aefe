#!/bin/bash
# Removes ca-doctor: stops the LaunchDaemon, removes the binary, the man page
# and completions, the daemon, log rotation, the state and the log, and
# forgets the package receipt.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: sudo scripts/uninstall.sh [--destroot DIR] [--keep-state]
       uninstall.sh MOUNT_POINT COMPUTER_NAME USER_NAME   (as a Jamf Pro policy script)

  --destroot DIR  remove from DIR instead of / (tests, a mounted volume)
  --keep-state    keep /Library/Application Support/ca-doctor (the state)

Run as a Jamf Pro policy script, Jamf passes the target volume's mount point
($1), the computer name ($2) and the user name ($3): the mount point is the
root ca-doctor is removed from; the other two are ignored.
USAGE
}

destroot=""
keep_state=no
label="com.cadoctor.tick"
receipt="com.cadoctor.pkg"

while [ $# -gt 0 ]; do
  case "$1" in
    --destroot) destroot=${2:?--destroot needs a folder}; shift 2 ;;
    --keep-state) keep_state=yes; shift ;;
    -h|--help) usage; exit 0 ;;
    -*) echo "uninstall.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
    *)
      # Jamf Pro's positional parameters: mount point, computer name, user name.
      destroot=$1
      shift $#
      ;;
  esac
done
destroot=${destroot%/}

if [ -z "$destroot" ] && [ "$(uname -s)" = "Darwin" ]; then
  launchctl bootout "system/$label" 2>/dev/null || true
fi
rm -f "$destroot/Library/LaunchDaemons/$label.plist" \
  "$destroot/usr/local/bin/ca-doctor" \
  "$destroot/usr/local/share/man/man1/"ca-doctor*.1 \
  "$destroot/usr/local/share/zsh/site-functions/_ca-doctor" \
  "$destroot/usr/local/share/bash-completion/completions/ca-doctor" \
  "$destroot/usr/local/share/fish/vendor_completions.d/ca-doctor.fish" \
  "$destroot/etc/newsyslog.d/ca-doctor.conf" \
  "$destroot/Library/Logs/ca-doctor.log" \
  "$destroot/Library/Logs/"ca-doctor.log.[0-9]* # rotated by newsyslog (.0.bz2, .1.bz2, …)
if [ "$keep_state" = no ]; then
  rm -rf "$destroot/Library/Application Support/ca-doctor"
fi
if [ "$(uname -s)" = "Darwin" ] && command -v pkgutil > /dev/null; then
  pkgutil --volume "${destroot:-/}" --forget "$receipt" > /dev/null 2>&1 || true
fi
echo "ca-doctor removed from ${destroot:-/}."
