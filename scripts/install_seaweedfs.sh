#!/usr/bin/env bash
# Builds SeaweedFS's `weed` (the S3-compatible server the S3 blob store tests start on loopback,
# tests/support/seaweed.py) into /opt/weed/weed from the Go module proxy, only when it is missing.
# No release binary can be downloaded here, so it is built from the module: ~5 min on 2 cores the
# first time, nothing afterwards. `go install mod@version` is refused for this module (its go.mod
# has a replace directive), so the build runs inside a writable copy of the module's source.
set -euo pipefail
WEED=${WEED_BIN:-/opt/weed/weed}
VERSION=v0.0.0-20261109003541-7506e5f91cd6   # pinned: the S3 checks in the tests were verified on it
[ -x "$WEED" ] && exit 0

GO=$(command -v go || echo /usr/local/go/bin/go)
[ -x "$GO" ] || { echo "install_seaweedfs: no Go toolchain (go or /usr/local/go/bin/go)" >&2; exit 1; }
export GOFLAGS=-mod=mod
echo "building SeaweedFS $VERSION into $WEED (first time only, ~5 min)"
src=$("$GO" mod download -json "github.com/seaweedfs/seaweedfs@$VERSION" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')
work=$(mktemp -d /tmp/swsrc.XXXXXX)
trap 'rm -rf "$work"' EXIT
cp -r "$src/." "$work/"
chmod -R u+w "$work"                  # the module cache is read-only
mkdir -p "$(dirname "$WEED")"
(cd "$work" && "$GO" build -ldflags "-s -w" -o "$WEED.partial" ./weed)
mv "$WEED.partial" "$WEED"            # only a complete binary ever sits at $WEED
"$WEED" version
