#!/usr/bin/env bash
# Regenerates the Go stubs (mediagatev1/) from protos/ with pinned plugins; idempotent.
#
#   clients/go/gen.sh          install the plugins if missing, regenerate mediagatev1/ in place
#   clients/go/gen.sh --check  generate into a temporary folder and fail if mediagatev1/ differs
#
# The plugins go into clients/go/.bin (git-ignored), never onto the global PATH.
set -euo pipefail

# protoc-gen-go must match the google.golang.org/protobuf runtime pinned in go.mod.
PROTOC_GEN_GO_VERSION=v1.36.12
PROTOC_GEN_GO_GRPC_VERSION=v1.6.2

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bin="$here/.bin"
buf="$root/tools/node_modules/.bin/buf"

runtime="$(cd "$here" && go list -m -f '{{.Version}}' google.golang.org/protobuf)"
if [[ "$runtime" != "$PROTOC_GEN_GO_VERSION" ]]; then
  echo "gen.sh: go.mod pins google.golang.org/protobuf $runtime but protoc-gen-go is $PROTOC_GEN_GO_VERSION; keep them equal" >&2
  exit 1
fi

if [[ "$("$bin/protoc-gen-go" --version 2>/dev/null || true)" != "protoc-gen-go $PROTOC_GEN_GO_VERSION" ]]; then
  echo "gen.sh: installing protoc-gen-go $PROTOC_GEN_GO_VERSION into $bin" >&2
  GOBIN="$bin" go install "google.golang.org/protobuf/cmd/protoc-gen-go@$PROTOC_GEN_GO_VERSION"
fi
if [[ "$("$bin/protoc-gen-go-grpc" --version 2>/dev/null || true)" != "protoc-gen-go-grpc ${PROTOC_GEN_GO_GRPC_VERSION#v}" ]]; then
  echo "gen.sh: installing protoc-gen-go-grpc $PROTOC_GEN_GO_GRPC_VERSION into $bin" >&2
  GOBIN="$bin" go install "google.golang.org/grpc/cmd/protoc-gen-go-grpc@$PROTOC_GEN_GO_GRPC_VERSION"
fi
if [[ ! -x "$buf" ]]; then
  # The repository's own pinned buf (tools/package.json).
  make -C "$root" tools
fi

cd "$root"
if [[ "${1:-}" == "--check" ]]; then
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  "$buf" generate --template clients/go/buf.gen.yaml -o "$tmp"
  if ! diff -r "$tmp/clients/go/mediagatev1" "$here/mediagatev1" >&2; then
    echo "gen.sh --check: clients/go/mediagatev1 is stale; run clients/go/gen.sh" >&2
    exit 1
  fi
  echo "gen.sh --check: clients/go/mediagatev1 is up to date" >&2
  exit 0
fi

# mediagatev1/ holds generated files only: clear it so that removed protos leave nothing behind.
rm -rf "$here/mediagatev1"
"$buf" generate --template clients/go/buf.gen.yaml
