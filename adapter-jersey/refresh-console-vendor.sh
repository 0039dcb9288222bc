#!/usr/bin/env bash
# Refreshes the console's vendored copy of Uppy (the upload widget) from the npm registry.
#
#   adapter-jersey/refresh-console-vendor.sh [version]      (default: the version VENDORED.txt names)
#
# The build never runs this: the files it writes are committed, so `./mvnw -B package` needs only a JDK. It downloads
# the `uppy` package's tarball, refuses it unless its SHA-512 equals the integrity the registry publishes for that
# version, copies the prebuilt bundle (dist/uppy.min.mjs, dist/uppy.min.css) and the licence, and records the version,
# the tarball's integrity and each copied file's SHA-256 in VENDORED.txt. VendoredConsoleFilesTest fails the build
# when a copied file no longer matches what VENDORED.txt records (a hand edit, a bad merge).
set -euo pipefail
cd "$(dirname "$0")"
vendor=src/main/resources/dev/filestaging/adapter/jersey/console/vendor
registry=${NPM_REGISTRY:-https://registry.npmjs.org}
version=${1:-$(sed -n 's/^version: //p' "$vendor/VENDORED.txt" 2>/dev/null || true)}
if [ -z "$version" ]; then
  echo "usage: $0 VERSION (no VENDORED.txt to take it from)" >&2
  exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
curl -fsS "$registry/uppy/$version" -o "$work/meta.json"
read -r tarball integrity < <(node -e '
  const meta = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(meta.dist.tarball, meta.dist.integrity);' "$work/meta.json")
case "$integrity" in
  sha512-*) ;;
  *) echo "the registry gives no SHA-512 integrity for uppy@$version: $integrity" >&2; exit 1 ;;
esac
curl -fsS "$tarball" -o "$work/uppy.tgz"
actual="sha512-$(openssl dgst -sha512 -binary "$work/uppy.tgz" | base64 -w0)"
if [ "$actual" != "$integrity" ]; then
  echo "uppy@$version: the tarball's digest $actual is not the registry's $integrity; nothing changed" >&2
  exit 1
fi
tar -xzf "$work/uppy.tgz" -C "$work" package/dist/uppy.min.mjs package/dist/uppy.min.css package/LICENSE

cp "$work/package/dist/uppy.min.mjs" "$work/package/dist/uppy.min.css" "$work/package/LICENSE" "$vendor/"
{
  echo "# Written by adapter-jersey/refresh-console-vendor.sh; checked by VendoredConsoleFilesTest. Do not edit."
  echo "package: uppy"
  echo "version: $version"
  echo "tarball: $tarball"
  echo "integrity: $integrity"
  for file in uppy.min.mjs uppy.min.css LICENSE; do
    echo "sha256 $file: $(sha256sum "$vendor/$file" | cut -d' ' -f1)"
  done
} > "$vendor/VENDORED.txt"
echo "vendored uppy@$version ($integrity)"
