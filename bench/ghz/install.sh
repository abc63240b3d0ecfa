#!/usr/bin/env bash
# Installs the pinned ghz (gRPC load generator) into bench/ghz/.bin/ghz with `go install`, and
# builds bench/ghz/.bin/htmlreport (ghz's HTML printer over a JSON report, htmlreport/).
# Idempotent: does nothing when .bin/ghz reports the pinned version and htmlreport is newer
# than its sources. Needs Go >= 1.21 (checked with go 1.26.8) and the Go module proxy.
set -euo pipefail

GHZ_VERSION="v0.120.0"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BIN="$HERE/.bin"
GHZ="$BIN/ghz"
HTMLREPORT="$BIN/htmlreport"

ghz_ok() { [[ -x "$GHZ" ]] && [[ "$("$GHZ" --version 2>&1)" == "${GHZ_VERSION#v}" ]]; }
# Stale when missing or older than its source or module files.
htmlreport_ok() {
    [[ -x "$HTMLREPORT" ]] || return 1
    local f
    for f in "$HERE"/htmlreport/main.go "$HERE"/htmlreport/go.mod "$HERE"/htmlreport/go.sum; do
        [[ "$f" -nt "$HTMLREPORT" ]] && return 1
    done
    return 0
}

if ghz_ok && htmlreport_ok; then
    exit 0
fi
if ! command -v go >/dev/null 2>&1; then
    echo "install.sh: go is not on PATH (a Go toolchain >= 1.21 is needed)" >&2
    exit 1
fi
mkdir -p "$BIN"
if ! ghz_ok; then
    echo "installing ghz $GHZ_VERSION into $BIN" >&2
    # -ldflags sets the version string `ghz --version` prints (goreleaser does this upstream).
    GOBIN="$BIN" GOFLAGS="${GOFLAGS:-} -buildvcs=false" go install \
        -ldflags "-s -w -X main.version=${GHZ_VERSION#v}" \
        "github.com/bojand/ghz/cmd/ghz@${GHZ_VERSION}"
    ghz_ok || { echo "install.sh: $GHZ does not report ${GHZ_VERSION#v}" >&2; exit 1; }
fi
# htmlreport: ghz's own HTML printer over a JSON report (one load run, both formats).
# Its go.mod pins the same ghz version; keep the two in step.
if ! htmlreport_ok; then
    echo "building htmlreport into $BIN" >&2
    (cd "$HERE/htmlreport" && GOFLAGS="${GOFLAGS:-} -buildvcs=false -mod=readonly" \
        go build -ldflags "-s -w" -o "$HTMLREPORT" .)
fi
