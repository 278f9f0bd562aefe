#!/bin/bash
# Builds an installer package (run on a Mac with Xcode command line tools):
# a payload laid out by install.sh, the postinstall in scripts/pkg, then
# pkgbuild and productbuild. Deploy the .pkg with a Jamf Pro policy.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/build-pkg.sh [--binary PATH | --universal] [--output DIR]
                            [--version X.Y.Z] [--sign IDENTITY] [--stage-only]

  --binary PATH     the ca-doctor binary to package (default: target/release/ca-doctor)
  --universal       build for both Apple architectures (aarch64-apple-darwin,
                    x86_64-apple-darwin; `rustup target add` them first) and
                    join them with lipo into one universal binary (macOS only)
  --output DIR      where the package goes (default: target/pkg)
  --version X.Y.Z   the package version (default: Cargo.toml's)
  --sign IDENTITY   sign with this Developer ID Installer identity
  --stage-only      lay out the payload and scripts in DIR without building
                    (works anywhere; used by the tests)
USAGE
}

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
binary="$top/target/release/ca-doctor"
output="$top/target/pkg"
version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$top/Cargo.toml" | head -n 1)
sign=""
stage_only=no
universal=no

while [ $# -gt 0 ]; do
  case "$1" in
    --binary) binary=${2:?--binary needs a path}; shift 2 ;;
    --output) output=${2:?--output needs a folder}; shift 2 ;;
    --version) version=${2:?--version needs a value}; shift 2 ;;
    --sign) sign=${2:?--sign needs an identity}; shift 2 ;;
    --stage-only) stage_only=yes; shift ;;
    --universal) universal=yes; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "build-pkg.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done

if [ "$universal" = yes ]; then
  if ! command -v lipo > /dev/null; then
    echo "build-pkg.sh: --universal needs lipo (run on macOS with Xcode command line tools)" >&2
    exit 1
  fi
  for target in aarch64-apple-darwin x86_64-apple-darwin; do
    (cd "$top" && cargo build --release --locked --target "$target")
  done
  mkdir -p "$top/target/universal"
  binary="$top/target/universal/ca-doctor"
  lipo -create -output "$binary" \
    "$top/target/aarch64-apple-darwin/release/ca-doctor" \
    "$top/target/x86_64-apple-darwin/release/ca-doctor"
fi

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
