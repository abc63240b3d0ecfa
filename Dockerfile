# mediagate server image. Not built on the development machines (no Docker engine there);
# it mirrors what `make run` does: libmagic from Debian, the locked environment from uv.
FROM python:3.11-slim-bookworm

RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libmagic1 libmagic-mgc \
    && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir uv

WORKDIR /app
COPY pyproject.toml uv.lock README.md ./
COPY server ./server
RUN uv sync --frozen --no-dev --no-editable

ENV MEDIAGATE_HOST=0.0.0.0 \
    MEDIAGATE_PORT=50051 \
    MEDIAGATE_DATA_DIR=/data
VOLUME ["/data"]
EXPOSE 50051
USER 10001:10001
# SIGTERM drains in-flight calls for MEDIAGATE_SHUTDOWN_GRACE_SECONDS before exiting.
STOPSIGNAL SIGTERM
CMD ["/app/.venv/bin/mediagate", "serve"]
