#!/usr/bin/env bash
# Regenerates the committed Java stubs in src/generated/java from protos/mediagate/v1.
# Idempotent: fetches the two pinned code generators from Maven Central into .bin/ (git-ignored)
# when they are missing, deletes the old output, and writes the same bytes for the same protos.
#   protoc 4.35.1 (libprotoc 35.1, as the repo venv's grpcio-tools; gencode 4.35.1 = pom.xml's
#                  protobuf-java) runs the built-in java generator; the grpcio-tools protoc
#                  has only the Python generators compiled in.
#   protoc-gen-grpc-java 1.83.1 (= pom.xml's grpc.version) writes AttachmentServiceGrpc.
# Versions are pinned here and in buf.gen.yaml (whose paths carry them); bump both together.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
PROTOC_VERSION=4.35.1
GRPC_JAVA_VERSION=1.83.1
DEPENDENCY_PLUGIN=org.apache.maven.plugins:maven-dependency-plugin:3.9.0
BUF="$root/tools/node_modules/.bin/buf"
out="$here/src/generated/java"

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) classifier=linux-x86_64 ;;
  Linux-aarch64) classifier=linux-aarch_64 ;;
  Darwin-x86_64) classifier=osx-x86_64 ;;
  Darwin-arm64) classifier=osx-aarch_64 ;;
  *) echo "gen.sh: no prebuilt protoc for $(uname -s)-$(uname -m)" >&2; exit 1 ;;
esac

# install GROUP ARTIFACT VERSION NAME: .bin/NAME-VERSION from GROUP:ARTIFACT:VERSION:exe:<platform>.
install() {
  local target="$here/.bin/$4-$3"
  if [ ! -x "$target" ]; then
    mkdir -p "$here/.bin"
    local tmp
    tmp="$(mktemp -d)"
    mvn -q -B -Dstyle.color=never "$DEPENDENCY_PLUGIN:copy" -Dartifact="$1:$2:$3:exe:$classifier" -DoutputDirectory="$tmp"
    mv "$tmp/$2-$3-$classifier.exe" "$target"
    rm -rf "$tmp"
    chmod +x "$target"
  fi
}
install com.google.protobuf protoc "$PROTOC_VERSION" protoc
install io.grpc protoc-gen-grpc-java "$GRPC_JAVA_VERSION" protoc-gen-grpc-java
# protobuf-java 4.X.Y goes with libprotoc X.Y.
[ "$("$here/.bin/protoc-$PROTOC_VERSION" --version)" = "libprotoc ${PROTOC_VERSION#*.}" ]

[ -x "$BUF" ] || make -C "$root" tools

rm -rf "$out"
mkdir -p "$out"
cd "$root"
"$BUF" generate --template clients/java/buf.gen.yaml
