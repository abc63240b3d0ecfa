#!/usr/bin/env bash
# `make check-k8s`: the Kubernetes example (deploy/kubernetes) checked offline, as CI runs it.
# kubeconform would need JSON schemas from the internet; deploy/validate instead decodes each
# manifest strictly into k8s.io/api's typed structs (from the Go module proxy) and checks what
# mediagate needs (deploy/validate/checks.go). Steps:
#   1. build the validator when its sources changed (else reuse deploy/validate/.bin/validate);
#   2. its Go tests (each breaks the real manifests one way and expects the error; Go caches
#      the result while nothing changed);
#   3. the manifests, with every MEDIAGATE_* name checked against the server's settings, and
#      each container's environment parsed by the server's own Settings;
#   4. deliberately broken copies in a temp dir, which must fail with the expected message.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=$(command -v go || echo /usr/local/go/bin/go)
[ -x "$GO" ] || { echo "check_k8s: no Go toolchain (go or /usr/local/go/bin/go)" >&2; exit 1; }
BIN=deploy/validate/.bin/validate
start=$(date +%s.%N)

if [ ! -x "$BIN" ] || [ -n "$(find deploy/validate -maxdepth 1 -newer "$BIN" \( -name '*.go' -o -name 'go.mod' -o -name 'go.sum' \))" ]; then
    (cd deploy/validate && "$GO" build -buildvcs=false -o .bin/validate .)
fi
(cd deploy/validate && "$GO" test ./...)

work=$(mktemp -d /tmp/check-k8s.XXXXXX)
trap 'rm -rf "$work"' EXIT
# The checkout's own settings (a worktree's venv may point at another checkout's sources).
PYTHONPATH="server${PYTHONPATH:+:$PYTHONPATH}" .venv/bin/python scripts/settings_table.py --names >"$work/settings"
# validate DIR: the manifests in DIR, with every MEDIAGATE_* name checked against the server's
# settings; then each container's environment through the server's own Settings, so a value of
# the wrong type or out of bounds ("two" workers, MEDIAGATE_S3_PART_BYTES under 5 MiB) fails here
# as it would at the pod's start.
validate() {
    local env_json
    env_json="$work/$(basename "$1").env.json"
    "$BIN" -settings "$work/settings" -env-json "$env_json" "$1" || return 1
    PYTHONPATH="server${PYTHONPATH:+:$PYTHONPATH}" .venv/bin/python - "$env_json" <<'PY'
import json
import os
import sys

from pydantic import ValidationError

from mediagate.config import Settings

failed = False
with open(sys.argv[1]) as f:
    containers = json.load(f)
for container, env in containers.items():
    for name in [n for n in os.environ if n.startswith("MEDIAGATE_")]:
        del os.environ[name]
    os.environ.update(env)
    try:
        Settings()
    except ValidationError as e:
        failed = True
        print(f"FAIL {container}: the server would not start: {e}", file=sys.stderr)
    else:
        print(f"{container}: {len(env)} variables, the server's Settings accept them")
sys.exit(1 if failed else 0)
PY
}
validate deploy/kubernetes

# expect_failure NAME SED-EXPRESSION FILE MESSAGE: a copy of the manifests with one edit must be
# refused, naming the problem.
expect_failure() {
    local name=$1 expression=$2 file=$3 message=$4 copy="$work/$1"
    mkdir -p "$copy"
    cp deploy/kubernetes/*.yaml "$copy/"
    sed -i -e "$expression" "$copy/$file"
    if cmp -s "$copy/$file" "deploy/kubernetes/$file"; then
        echo "check_k8s: the edit for '$name' changed nothing" >&2
        exit 1
    fi
    if validate "$copy" >"$copy.out" 2>&1; then
        echo "check_k8s: a broken copy ($name) passed" >&2
        exit 1
    fi
    grep -qF -- "$message" "$copy.out" || {
        echo "check_k8s: the broken copy ($name) failed for another reason:" >&2
        cat "$copy.out" >&2
        exit 1
    }
    echo "broken copy refused as it should be ($name): $(grep -F -- "$message" "$copy.out" | head -n 1)"
}
expect_failure misspelt-field 's/readinessProbe:/readinesProbe:/' deployment.yaml 'unknown field'
expect_failure readiness-on-http '/readinessProbe:/,/port:/ s/port: 50051/port: 8080/' deployment.yaml \
    'readinessProbe asks port 8080'
expect_failure pdb-selector 's/component: replica/component: replicas/' pdb.yaml 'selects 0 workloads'
expect_failure unknown-setting 's/MEDIAGATE_S3_BUCKET:/MEDIAGATE_S3_BUKET:/' configmap.yaml \
    'MEDIAGATE_S3_BUKET is not a setting'
expect_failure bad-value 's/MEDIAGATE_PROBE_WORKERS: "2"/MEDIAGATE_PROBE_WORKERS: "two"/' configmap.yaml \
    'the server would not start'

awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "make check-k8s: %.1f s\n", b - a }'
