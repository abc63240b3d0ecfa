"""Shared fixtures: one real server for the integration tests, on an ephemeral loopback port."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from mediagate.v1 import attachment_service_pb2_grpc as pb_grpc
from tests.support.seaweed import seaweed  # noqa: F401  (a session fixture: S3 on loopback)
from tests.support.server_process import ServerProcess

# The throwaway PostgreSQL server (started only for the tests that ask for it).
pytest_plugins = ["tests.support.postgres"]

# Profiles the tests need beyond the built-in ones; loading them also exercises the
# profiles-file path a deployment uses.
TEST_PROFILES = """
[profiles.tight]
extends = "web-messaging"
description = "Small limits so tests can cross them with small files"
max_size_bytes = 1048576
max_frames = 2
max_pages = 2

[profiles.open-images]
extends = "web-messaging"
description = "Also SVG and TIFF, to exercise their probes"
accepted_mime_types = ["image/jpeg", "image/png", "image/gif", "image/webp", "image/svg+xml",
                       "image/tiff", "application/pdf", "text/plain"]

[profiles.short-voice]
extends = "voice"
min_audio_seconds = 2.0
max_audio_seconds = 5.0

[profiles.ephemeral]
extends = "web-messaging"
retention_seconds = 1.0

[profiles.big]
extends = "web-messaging"
max_size_bytes = 209715200

[profiles.keep-metadata]
extends = "web-messaging"
description = "Stores the bytes as sent"
strip_metadata = false
"""


def write_test_profiles(directory: Path) -> Path:
    path = directory / "profiles.toml"
    path.write_text(TEST_PROFILES)
    return path


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    root = tmp_path_factory.mktemp("server")
    profiles = write_test_profiles(root)
    env = {
        "MEDIAGATE_PROFILES_FILE": str(profiles),
        "MEDIAGATE_SWEEP_INTERVAL_SECONDS": "0.2",
        "MEDIAGATE_REFLECTION": "true",
    }
    with ServerProcess(root / "data", env) as process:
        yield process


@pytest.fixture
def stub(server: ServerProcess) -> pb_grpc.AttachmentServiceStub:
    return server.stub()
