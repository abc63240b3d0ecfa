"""Previews hold under abuse, against a live server: every spec within the documented limits
gets an answer that fits one gRPC message, the worst sources included; and the preview cache
stays within its byte budget, least recently used out first, across deletes and restarts."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import grpc
import pytest
from PIL import Image

from mediagate.client import error_details
from mediagate.media.preview_spec import DEFAULT_MAX_PREVIEW_BYTES, MAX_BOX
from mediagate.store.cache_index import blocks_of
from mediagate.v1 import attachment_service_pb2 as pb
from mediagate.v1 import attachment_service_pb2_grpc as pb_grpc
from mediagate.v1 import preview_pb2
from tests.samples import audio, images, pdfs
from tests.support.calls import upload
from tests.support.server_process import ServerProcess

MIB = 1024 * 1024
# The server's grpc.max_send_message_length with default settings (config.py
# max_send_message_bytes): what any one answer must fit.
SEND_LIMIT = MIB + 256 * 1024
WEBP, JPEG, PNG = (
    preview_pb2.PREVIEW_FORMAT_WEBP,
    preview_pb2.PREVIEW_FORMAT_JPEG,
    preview_pb2.PREVIEW_FORMAT_PNG,
)
# The extreme spec of each format: the largest box at the highest quality (PNG is lossless).
EXTREMES = {"webp": (WEBP, 100), "jpeg": (JPEG, 100), "png": (PNG, 0)}


def get_preview(stub: pb_grpc.AttachmentServiceStub, name: str, **spec: int) -> preview_pb2.Preview:
    request = pb.GetPreviewRequest(name=name, spec=preview_pb2.PreviewSpec(**spec))
    return stub.GetPreview(request, timeout=120)


def rendered(sha256: str, key: str) -> str:
    """The server's log line for one render of a preview."""
    return rf"preview rendered sha256={sha256[:16]} key=preview-{re.escape(key)} "


def renders(server: ServerProcess, sha256: str, key: str) -> int:
    """How many times the server has logged rendering this preview so far. A render logs
    before it answers, but the line reaches the test through a pipe: count only lines logged
    before one the test has waited for (wait_for_renders)."""
    pattern = re.compile(rendered(sha256, key))
    return sum(1 for line in list(server.log) if pattern.search(line))


def wait_for_renders(server: ServerProcess, sha256: str, key: str, count: int) -> None:
    """Waits (woken by each log line) until the server has logged count renders of it."""
    pattern = rendered(sha256, key)
    after = 0
    for _ in range(count):
        server.wait_for_log(pattern, after=after)
        after = next(i for i in range(after, len(server.log)) if re.search(pattern, server.log[i]))
        after += 1


def cached_previews(data_dir: Path) -> dict[str, int]:
    """The preview files on disk, by source/key, with their sizes."""
    return {
        f"{p.parent.name}/{p.name}": p.stat().st_size
        for p in (data_dir / "derived").glob("??/*/preview-*")
    }


def disk_bytes(files: dict[str, int]) -> int:
    """What the cache counts against its budget: each file in whole 4 KiB blocks."""
    return sum(blocks_of(size) * 4096 for size in files.values())


def no_eager_previews(directory: Path) -> Path:
    """A profiles file without eager previews, so that only the test's requests fill the cache
    (and "big" for the large sources)."""
    path = directory / "profiles.toml"
    path.write_text(
        "[profiles.web-messaging]\neager_previews = []\n\n"
        '[profiles.big]\nextends = "web-messaging"\nmax_size_bytes = 209715200\n'
    )
    return path


# --- every spec fits the answer ----------------------------------------------------------------


@pytest.fixture(scope="module")
def worst_sources(server: ServerProcess) -> dict[str, str]:
    """The worst realistic sources, by kind: attachment names."""
    stub = server.stub()
    return {
        "noisy 12 MP photo": upload(stub, images.jpeg_noise(), "noise.jpg", profile="big").name,
        "PDF page of noise": upload(stub, pdfs.pdf_noise_page(), "noise.pdf").name,
        "PDF page of small print": upload(stub, pdfs.pdf_dense_text(), "print.pdf").name,
        "animated GIF of noise": upload(stub, images.gif_noise(), "a.gif", profile="big").name,
        "waveform": upload(stub, audio.wav_noise_bursts(), "v.wav", profile="voice").name,
    }


@pytest.mark.parametrize(
    "kind",
    [
        "noisy 12 MP photo",
        "PDF page of noise",
        "PDF page of small print",
        "animated GIF of noise",
        "waveform",
    ],
)
def test_the_extreme_spec_of_every_format_fits_one_message(
    server: ServerProcess, worst_sources: dict[str, str], kind: str
) -> None:
    stub = server.stub()
    name = worst_sources[kind]

    def extreme(fmt_quality: tuple[int, int]) -> preview_pb2.Preview:
        fmt, quality = fmt_quality
        return get_preview(
            stub, name, max_width=MAX_BOX, max_height=MAX_BOX, format=fmt, quality=quality
        )

    # The formats at once, as a burst of callers would ask: both render workers busy.
    with ThreadPoolExecutor(max_workers=3) as pool:
        answers = dict(zip(EXTREMES, pool.map(extreme, EXTREMES.values()), strict=True))
    for label, answer in answers.items():
        fmt, quality = EXTREMES[label]
        assert answer.ByteSize() <= SEND_LIMIT
        assert answer.size_bytes == len(answer.content) <= DEFAULT_MAX_PREVIEW_BYTES
        assert answer.mime_type == f"image/{label}"
        assert answer.spec.format == fmt and answer.spec.max_width == MAX_BOX
        assert 0 < answer.width <= MAX_BOX and 0 < answer.height <= MAX_BOX
        # What the preview is: the quality it was encoded at, never above the asked one.
        assert answer.spec.quality <= quality if fmt != PNG else answer.spec.quality == 0
        image = Image.open(io.BytesIO(answer.content))
        assert image.format == label.upper() and image.size == (answer.width, answer.height)
        print(
            f"{kind} {label}: {answer.size_bytes} bytes, {answer.width}x{answer.height}, "
            f"quality {answer.spec.quality}"
        )
    # The fitted preview is what the cache holds: asked again, the same answer.
    assert extreme(EXTREMES["png"]) == answers["png"]


@pytest.fixture
def tiny_budget(tmp_path: Path) -> Iterator[ServerProcess]:
    env = {
        "MEDIAGATE_PROFILES_FILE": str(no_eager_previews(tmp_path)),
        "MEDIAGATE_PREVIEW_MAX_BYTES": "100",  # below what any JPEG's tables take
    }
    with ServerProcess(tmp_path / "data", env) as server:
        yield server


def test_a_preview_that_cannot_fit_is_a_typed_error_and_never_cached(
    tiny_budget: ServerProcess,
) -> None:
    stub = tiny_budget.stub()
    photo = upload(stub, images.jpeg(640, 480), "p.jpg")
    for _ in range(2):  # the second time too: nothing was cached
        with pytest.raises(grpc.RpcError) as error:
            get_preview(stub, photo.name, format=JPEG)
        assert error.value.code() == grpc.StatusCode.FAILED_PRECONDITION
        (info,) = error_details(error.value)
        assert (info.reason, info.metadata) == (
            "PREVIEW_FAILED",
            {"kind": "too_large", "limit": "100"},
        )
    assert cached_previews(tiny_budget.data_dir) == {}


def test_a_cached_preview_over_a_lowered_limit_is_rendered_again(tmp_path: Path) -> None:
    """An entry written under a larger limit (or by an older mediagate, which cached previews
    it could not send) is never served: it would fail for every caller, for ever."""
    env = {"MEDIAGATE_PROFILES_FILE": str(no_eager_previews(tmp_path))}
    spec = {"max_width": 1024, "max_height": 1024, "format": PNG}
    with ServerProcess(
        tmp_path / "data", {**env, "MEDIAGATE_PREVIEW_MAX_BYTES": str(4 * MIB)}
    ) as roomy:
        stub = roomy.stub()
        source = upload(stub, images.png_noise(1024, 1024), "n.png")
        big = get_preview(stub, source.name, **spec)
        assert big.size_bytes > 3 * MIB and (big.width, big.height) == (1024, 1024)
    assert max(cached_previews(tmp_path / "data").values()) > 3 * MIB
    with ServerProcess(tmp_path / "data", env) as default:
        again = get_preview(default.stub(), source.name, **spec)
        assert again.size_bytes <= DEFAULT_MAX_PREVIEW_BYTES and again.width < 1024
        wait_for_renders(default, source.sha256, "1024x1024-png-q0-p1", 1)  # not the cached one
    assert max(cached_previews(tmp_path / "data").values()) <= DEFAULT_MAX_PREVIEW_BYTES + 4096


# --- the cache stays within its budget ---------------------------------------------------------

# Previews of a 640 x 480 noise PNG, as PNG at their full size: ~0.92 MB each, the same for
# every page number (ignored for images, but part of the cache key). Three fit, four do not.
ENTRY_SPEC = {"max_width": 640, "max_height": 480, "format": PNG}
THREE_AND_A_HALF = 3_300_000


def small_cache(tmp_path: Path, budget: int) -> ServerProcess:
    env = {
        "MEDIAGATE_PROFILES_FILE": str(no_eager_previews(tmp_path)),
        "MEDIAGATE_PREVIEW_CACHE_BYTES": str(budget),
    }
    return ServerProcess(tmp_path / "data", env)


def entry(stub: pb_grpc.AttachmentServiceStub, name: str, page: int) -> preview_pb2.Preview:
    return get_preview(stub, name, page=page, **ENTRY_SPEC)


def test_forty_specs_of_one_photo_stay_within_the_budget(tmp_path: Path) -> None:
    budget = 2 * MIB
    with small_cache(tmp_path, budget) as server:
        stub = server.stub()
        photo = upload(stub, images.jpeg_textured(), "photo.jpg")  # ~4 MB, 12 MP
        formats = [(WEBP, 80), (JPEG, 95), (PNG, 0), (WEBP, 100)]
        specs = [
            {
                "max_width": 1200 - 16 * n,
                "max_height": 1200 - 16 * n,
                "format": formats[n % 4][0],
                "quality": formats[n % 4][1],
            }
            for n in range(40)
        ]
        with ThreadPoolExecutor(max_workers=4) as pool:
            answers = list(pool.map(lambda s: get_preview(stub, photo.name, **s), specs))
        unbounded = sum(a.size_bytes for a in answers)
        files = cached_previews(server.data_dir)
        print(
            f"40 specs: {unbounded} bytes of previews; the cache holds {len(files)} files, "
            f"{sum(files.values())} bytes ({disk_bytes(files)} in blocks) of {budget}"
        )
        assert unbounded > 3 * budget  # the budget had work to do
        assert disk_bytes(files) <= budget


def test_the_least_recently_used_preview_goes_first(tmp_path: Path) -> None:
    with small_cache(tmp_path, THREE_AND_A_HALF) as server:
        stub = server.stub()
        source = upload(stub, images.png_noise(640, 480), "n.png")
        for page in (1, 2, 3):
            entry(stub, source.name, page)
        entry(stub, source.name, 1)  # a hit: page 2 is now the least recently used
        entry(stub, source.name, 4)  # no room for a fourth: page 2 goes
        assert disk_bytes(cached_previews(server.data_dir)) <= THREE_AND_A_HALF
        entry(stub, source.name, 1)
        entry(stub, source.name, 2)
        key = "640x480-png-q0-p{}"
        wait_for_renders(server, source.sha256, key.format(2), 2)  # evicted: rendered again
        assert renders(server, source.sha256, key.format(1)) == 1  # kept: served from cache


def test_a_deleted_source_s_previews_leave_the_budget(tmp_path: Path) -> None:
    with small_cache(tmp_path, THREE_AND_A_HALF) as server:
        stub = server.stub()
        kept = upload(stub, images.png_noise(640, 480, seed=1), "kept.png")
        gone = upload(stub, images.png_noise(640, 480, seed=2), "gone.png")
        entry(stub, kept.name, 1)
        entry(stub, gone.name, 1)
        entry(stub, gone.name, 2)
        stub.DeleteAttachment(pb.DeleteAttachmentRequest(name=gone.name), timeout=30)
        # The cache now holds one preview. Were the deleted ones still counted (and newer than
        # kept's), these two would push kept's out.
        entry(stub, kept.name, 2)
        entry(stub, kept.name, 3)
        entry(stub, kept.name, 1)
        # A render after the others, to wait for: any render of page 1 is logged before it.
        marker = upload(stub, images.jpeg(64, 48), "marker.jpg")
        get_preview(stub, marker.name)
        wait_for_renders(server, marker.sha256, "300x300-webp-q80-p1", 1)
        assert renders(server, kept.sha256, "640x480-png-q0-p1") == 1
        assert not any(k.startswith(gone.sha256) for k in cached_previews(server.data_dir))


def test_a_restart_with_a_smaller_budget_evicts_the_oldest(tmp_path: Path) -> None:
    with small_cache(tmp_path, THREE_AND_A_HALF) as server:
        stub = server.stub()
        source = upload(stub, images.png_noise(640, 480), "n.png")
        for page in (1, 2, 3):
            entry(stub, source.name, page)
    two = 2_200_000
    with small_cache(tmp_path, two) as server:
        server.wait_for_log(r"preview cache: 2 entries, \d+ of \d+ bytes \(1 evicted")
        assert disk_bytes(cached_previews(server.data_dir)) <= two
        stub = server.stub()
        entry(stub, source.name, 3)
        entry(stub, source.name, 1)
        wait_for_renders(server, source.sha256, "640x480-png-q0-p1", 1)  # oldest: evicted
        assert renders(server, source.sha256, "640x480-png-q0-p3") == 0  # newest: kept
