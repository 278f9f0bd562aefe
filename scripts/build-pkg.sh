#!/bin/bash
# Builds an installer package (run on a Mac with Xcode command line tools):
# a payload laid out by install.sh, the postinstall in scripts/pkg, then
# pkgbuild and productbuild. Deploy the .pkg with a Jamf Pro policy.
#
# Usage: scripts/build-pkg.sh [--binary PATH] [--output DIR] [--version X.Y.Z]
#                             [--sign IDENTITY] [--stage-only]
#   --stage-only   lay out the payload and scripts in DIR without building
#                  (works anywhere; used by the tests)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
binary="$top/target/release/ca-doctor"
output="$top/target/pkg"
version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$top/Cargo.toml" | head -n 1)
sign=""
stage_only=no

while [ $# -gt 0 ]; do
  case "$1" in
    --binary) binary=${2:?--binary needs a path}; shift 2 ;;
    --output) output=${2:?--output needs a folder}; shift 2 ;;
    --version) version=${2:?--version needs a value}; shift 2 ;;
    --sign) sign=${2:?--sign needs an identity}; shift 2 ;;
    --stage-only) stage_only=yes; shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "build-pkg.sh: unknown argument: $1" >&2; exit 2 ;;
  esac
done

payload="$output/payload"
pkg_scripts="$output/scripts"
rm -rf "$payload" "$pkg_scripts"
mkdir -p "$payload" "$pkg_scripts"
"$here/install.sh" --destroot "$payload" --binary "$binary" > /dev/null
install -m 0755 "$here/pkg/postinstall" "$pkg_scripts/postinstall"

if [ "$stage_only" = yes ]; then
  echo "staged payload and scripts in $output"
  exit 0
fi
if ! command -v pkgbuild > /dev/null; then
  echo "build-pkg.sh: pkgbuild not found (run on macOS, or use --stage-only)" >&2
  exit 1
fi

component="$output/ca-doctor-component.pkg"
product="$output/ca-doctor-$version.pkg"
pkgbuild --root "$payload" --scripts "$pkg_scripts" --identifier com.cadoctor.pkg \
  --version "$version" --install-location / --ownership recommended "$component"
if [ -n "$sign" ]; then
  productbuild --package "$component" --sign "$sign" "$product"
else
  productbuild --package "$component" "$product"
fi
rm -f "$component"
echo "built $product"
