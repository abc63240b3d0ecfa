#!/usr/bin/env bash
# Builds the Go client and runs its tests against a real mediagate server (started by the
# tests' TestMain from the repository's .venv, or $MEDIAGATE_PYTHON).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$here"

# The server the tests start: the repository's Python environment, unless one is given.
if [[ -z "${MEDIAGATE_PYTHON:-}" && ! -x "$root/.venv/bin/python" ]]; then
  make -C "$root" setup
fi

go mod download
# The committed stubs are exactly what gen.sh makes from protos/.
./gen.sh --check
go vet ./...
go build -o bin/mediagate-example ./cmd/mediagate-example
go test -count=1 ./...
