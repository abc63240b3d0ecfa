#!/usr/bin/env bash
# Regenerates every committed stub from protos/. Run through `make gen`.
set -euo pipefail
cd "$(dirname "$0")/.."
BUF=tools/node_modules/.bin/buf
out=server/mediagate/v1
rm -rf "$out"
mkdir -p "$out"
"$BUF" generate
# grpc service stubs: grpc_tools' protoc has the grpc_python generator compiled in. The vendored
# google/api protos are on the include path only for the imports; nothing is written for them.
.venv/bin/python -m grpc_tools.protoc -I protos -I third_party/googleapis --grpc_python_out=server \
  protos/mediagate/v1/*.proto
# Keep only the files that carry services or messages, and make the folder a package.
for f in "$out"/*_pb2_grpc.py; do
  grep -q 'Stub' "$f" || rm -f "$f" "${f}i"
done
touch server/mediagate/__init__.py
printf '"""Generated from protos/mediagate/v1 by `make gen`. Never edit by hand."""\n' > "$out/__init__.py"
