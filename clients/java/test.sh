#!/usr/bin/env bash
# Builds the Java client and runs its tests against a real mediagate server (started by the tests
# with MEDIAGATE_PYTHON, default ../../.venv/bin/python). Installs what is missing: a JDK 17 and
# Maven from Debian, and the server's Python environment through the root Makefile.
# The first run downloads the Maven dependencies; later runs use ~/.m2 only.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

if ! command -v mvn >/dev/null 2>&1 || ! command -v javac >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jdk-headless maven
fi
if [ -z "${MEDIAGATE_PYTHON:-}" ] && [ ! -x "$root/.venv/bin/python" ]; then
  make -C "$root" setup
fi

cd "$here"
# Not -q: Surefire's "Tests run: N, Failures: N ..." summary is the line that shows what ran.
mvn -B -ntp -Dstyle.color=never test
