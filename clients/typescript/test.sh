#!/usr/bin/env bash
# Installs the locked dependencies, type-checks, builds dist/, then runs the end-to-end tests
# (node's built-in runner) against a real mediagate server started by the test itself.
# MEDIAGATE_PYTHON overrides the server's interpreter (default: ../../.venv/bin/python).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

# `npm ci` installs exactly package-lock.json. Should npm 11 refuse the lock (it can, for locks
# missing other platforms' optional binaries; this one has none), fall back to a no-save install.
npm ci --no-audit --no-fund --loglevel=error ||
  npm install --no-save --no-audit --no-fund --loglevel=error

tsc=node_modules/.bin/tsc
echo "== type check"
"$tsc" --noEmit -p tsconfig.json
echo "== build dist/"
rm -rf dist build-test
"$tsc" -p tsconfig.json
echo "== build tests and examples (they import @mediagate/client, i.e. dist/)"
"$tsc" -p tsconfig.test.json
echo "== test"
node --test --test-reporter=spec build-test/test/client.test.js
