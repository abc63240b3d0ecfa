# mediagate server image: a build stage that makes the locked environment with uv, and a slim
# runtime stage with only what the server loads at run time. Both stages use Debian bookworm's
# own python3 (3.11, as requires-python wants), so the venv built in one runs in the other.
# `make image-test` builds this file with buildah and runs it (checks/image_test.py).

# ---- build: uv, the lock file, /app/.venv ----------------------------------------------------
FROM debian:bookworm-slim AS build

# python3-venv: a venv for uv itself (Debian's python3 refuses pip installs, PEP 668).
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        ca-certificates python3 python3-venv \
    && rm -rf /var/lib/apt/lists/*

ARG UV_VERSION=0.13.10
RUN python3 -m venv /opt/uv \
    && /opt/uv/bin/pip install --no-cache-dir "uv==${UV_VERSION}"

# The venv uses Debian's python3 at /usr/bin/python3, which the runtime stage has at the same
# path; no download of another interpreter. Copy mode: the uv cache is not in the image.
ENV UV_PYTHON=/usr/bin/python3 \
    UV_PYTHON_DOWNLOADS=never \
    UV_LINK_MODE=copy \
    UV_COMPILE_BYTECODE=1 \
    UV_PROJECT_ENVIRONMENT=/app/.venv

WORKDIR /app
# Dependencies first, from the lock alone, so a source change does not re-download them.
COPY pyproject.toml uv.lock README.md ./
RUN /opt/uv/bin/uv sync --frozen --no-dev --no-install-project --no-cache
COPY server ./server
# --no-editable: the project is installed into the venv, so the runtime needs no source tree.
RUN /opt/uv/bin/uv sync --frozen --no-dev --no-editable --no-cache

# ---- runtime -----------------------------------------------------------------------------------
FROM debian:bookworm-slim AS runtime

# libmagic1 + libmagic-mgc: python-magic's library and its database. PyAV, Pillow, pillow-heif
# and pypdfium2 bring their native libraries (FFmpeg's included) inside their wheels, so no
# FFmpeg package is needed; the image test imports av to prove it. ca-certificates: TLS to
# Genesys Cloud and to import URLs.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        ca-certificates libmagic1 libmagic-mgc python3 \
    && rm -rf /var/lib/apt/lists/*

# The user the server runs as owns its data directory. /data is created and chowned before the
# VOLUME line: a volume starts from the image's directory, so it is writable by uid 10001.
RUN groupadd --system --gid 10001 mediagate \
    && useradd --system --uid 10001 --gid 10001 --home-dir /data --no-create-home \
        --shell /usr/sbin/nologin mediagate \
    && mkdir -p /data \
    && chown 10001:10001 /data \
    && chmod 0750 /data

COPY --from=build /app/.venv /app/.venv

# Settings are MEDIAGATE_* variables (docs/operations.md lists them all). The image listens on
# every interface. Authentication: a deployment mounts a callers file as a secret and sets
# MEDIAGATE_AUTH_CALLERS_FILE (and MEDIAGATE_TLS_CERT_FILE / _KEY_FILE for TLS). The image sets
# neither that nor MEDIAGATE_ALLOW_UNAUTHENTICATED, so a container started with no auth settings
# refuses to serve unauthenticated on 0.0.0.0: the safe default.
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    MEDIAGATE_HOST=0.0.0.0 \
    MEDIAGATE_PORT=50051 \
    MEDIAGATE_MEDIA_PORT=8080 \
    MEDIAGATE_METRICS_PORT=9464 \
    MEDIAGATE_DATA_DIR=/data

USER 10001:10001
WORKDIR /data
VOLUME ["/data"]
# gRPC; HTTP (signed media URLs, the Genesys Cloud webhook); Prometheus metrics.
EXPOSE 50051 8080 9464

# grpc.health.v1 Check against MEDIAGATE_HOST/PORT (loopback when bound to 0.0.0.0).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["mediagate", "health"]

# SIGTERM drains in-flight calls for MEDIAGATE_SHUTDOWN_GRACE_SECONDS before exiting.
STOPSIGNAL SIGTERM
CMD ["mediagate", "serve"]
