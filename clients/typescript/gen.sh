#!/usr/bin/env bash
# Regenerates src/gen/ (committed) from protos/ and google/rpc's status + error_details.
# Idempotent: installs the pinned protoc-gen-es (package.json devDependencies) if it is missing
# or another version, then runs buf from the repository root; the template's `clean: true`
# empties src/gen/ first, so files of deleted protos do not linger.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
buf="$root/tools/node_modules/.bin/buf"
rpc_protos="$root/.venv/lib/python3.11/site-packages/google/rpc"

want="$(node -p "require('$here/package.json').devDependencies['@bufbuild/protoc-gen-es']")"
have="$(node -p "try { require('$here/node_modules/@bufbuild/protoc-gen-es/package.json').version } catch { '' }")"
if [[ "$want" != "$have" ]]; then
  echo "installing @bufbuild/protoc-gen-es $want"
  (cd "$here" && { npm ci --no-audit --no-fund --loglevel=error ||
    npm install --no-save --no-audit --no-fund --loglevel=error; })
fi
if [[ ! -x "$buf" ]]; then
  echo "installing buf (make tools)"
  make -C "$root" tools
fi
if [[ ! -f "$rpc_protos/status.proto" || ! -f "$rpc_protos/error_details.proto" ]]; then
  echo "missing $rpc_protos/{status,error_details}.proto: run 'make env' at the repository root" >&2
  exit 1
fi

cd "$root"
"$buf" generate --template clients/typescript/buf.gen.yaml
echo "generated clients/typescript/src/gen"
