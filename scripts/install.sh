#!/bin/bash
# Installs ca-doctor: the binary in /usr/local/bin, its man page and shell
# completions, the LaunchDaemon that runs `ca-doctor tick` every 15 minutes,
# and log rotation; then starts the daemon.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: sudo scripts/install.sh [--destroot DIR] [--binary PATH]

  --destroot DIR  install under DIR instead of / (packaging, tests); the
                  daemon is only started when installing to / on macOS
  --binary PATH   the ca-doctor binary (default: target/release/ca-doctor)
USAGE
}

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
destroot=""
binary="$top/target/release/ca-doctor"
label="com.cadoctor.tick"

while [ $# -gt 0 ]; do
  case "$1" in
    --destroot) destroot=${2:?--destroot needs a folder}; shift 2 ;;
    --binary) binary=${2:?--binary needs a path}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "install.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done
destroot=${destroot%/}

if [ ! -x "$binary" ]; then
  echo "install.sh: $binary is missing or not executable (run: cargo build --release)" >&2
  exit 1
fi

install -d -m 0755 "$destroot/usr/local/bin" "$destroot/Library/LaunchDaemons" \
  "$destroot/Library/Application Support/ca-doctor" "$destroot/etc/newsyslog.d"
install -m 0755 "$binary" "$destroot/usr/local/bin/ca-doctor"
# The man page and completions come from the binary's own flag definitions.
share="$destroot/usr/local/share"
install -d -m 0755 "$share/man/man1" "$share/zsh/site-functions" \
  "$share/bash-completion/completions" "$share/fish/vendor_completions.d"
"$binary" generate man-pages "$share/man/man1"
"$binary" generate zsh > "$share/zsh/site-functions/_ca-doctor"
"$binary" generate bash > "$share/bash-completion/completions/ca-doctor"
"$binary" generate fish > "$share/fish/vendor_completions.d/ca-doctor.fish"
chmod 0644 "$share/man/man1/"ca-doctor*.1 "$share/zsh/site-functions/_ca-doctor" \
  "$share/bash-completion/completions/ca-doctor" "$share/fish/vendor_completions.d/ca-doctor.fish"
install -m 0644 "$top/launchd/$label.plist" "$destroot/Library/LaunchDaemons/$label.plist"
install -m 0644 "$top/launchd/ca-doctor.newsyslog.conf" "$destroot/etc/newsyslog.d/ca-doctor.conf"

if [ -z "$destroot" ] && [ "$(uname -s)" = "Darwin" ]; then
  chown root:wheel /usr/local/bin/ca-doctor "/Library/LaunchDaemons/$label.plist" /etc/newsyslog.d/ca-doctor.conf
  launchctl bootout "system/$label" 2>/dev/null || true
  launchctl bootstrap system "/Library/LaunchDaemons/$label.plist"
  echo "ca-doctor installed; $label started."
else
  echo "ca-doctor installed under ${destroot:-/} (daemon not started)."
fi
