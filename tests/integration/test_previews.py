"""GetPreview against a live server: right, safe, cached, rendered once, and bounded."""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import grpc
import psutil
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from PIL import Image

from mediagate.client import error_details
from mediagate.v1 import attachment_service_pb2 as pb
from mediagate.v1 import attachment_service_pb2_grpc as pb_grpc
from mediagate.v1 import preview_pb2
from tests.samples import images, office, pdfs
from tests.support.calls import upload
from tests.support.server_process import ServerProcess


def preview(stub: pb_grpc.AttachmentServiceStub, name: str, **spec: int) -> preview_pb2.Preview:
    request = pb.GetPreviewRequest(name=name, spec=preview_pb2.PreviewSpec(**spec))
    return stub.GetPreview(request, timeout=60)


def failure(stub: pb_grpc.AttachmentServiceStub, name: str, **spec: int) -> tuple[str, str]:
    with pytest.raises(grpc.RpcError) as error:
        preview(stub, name, **spec)
    return error.value.code().name, error_details(error.value)[0].reason


def renders(server: ServerProcess, sha256: str, key: str) -> int:
    pattern = re.compile(rf"preview rendered sha256={sha256[:16]} key=preview-{re.escape(key)} ")
    return sum(1 for line in list(server.log) if pattern.search(line))


def test_a_photo_preview_fits_the_box_and_leaks_nothing(
    stub: pb_grpc.AttachmentServiceStub,
) -> None:
    photo = upload(stub, images.jpeg(1200, 800, gps=True), "p.jpg", "image/jpeg")
    result = preview(stub, photo.name)
    assert (result.mime_type, result.width, result.height) == ("image/webp", 300, 200)
    assert result.size_bytes == len(result.content)
    assert (result.spec.max_width, result.spec.format, result.spec.quality) == (
        300,
        preview_pb2.PREVIEW_FORMAT_WEBP,
        80,
    )
    assert (result.source.width, result.source.height) == (1200, 800)
    image = Image.open(io.BytesIO(result.content))
    assert image.size == (300, 200)
    assert not image.getexif() and "exif" not in image.info and "xmp" not in image.info


def test_formats_and_boxes(stub: pb_grpc.AttachmentServiceStub) -> None:
    shot = upload(stub, images.png(400, 100, mode="RGBA"), "s.png", "image/png")
    png = preview(
        stub, shot.name, max_width=100, max_height=100, format=preview_pb2.PREVIEW_FORMAT_PNG
    )
    assert (png.mime_type, png.width, png.height, png.spec.quality) == ("image/png", 100, 25, 0)
    jpeg = preview(stub, shot.name, format=preview_pb2.PREVIEW_FORMAT_JPEG, quality=60)
    assert Image.open(io.BytesIO(jpeg.content)).format == "JPEG"


def test_an_animation_previews_its_first_frame_and_says_how_many(
    stub: pb_grpc.AttachmentServiceStub,
) -> None:
    gif = upload(stub, images.gif_animated(frames=5), "a.gif", "image/gif")
    result = preview(stub, gif.name)
    assert (result.source.frame, result.source.frame_count) == (0, 5)
    still = upload(stub, images.png(31, 17), "still.png", "image/png")
    assert preview(stub, still.name).source.frame_count == 1


def test_pdf_pages(stub: pb_grpc.AttachmentServiceStub) -> None:
    doc = upload(stub, pdfs.pdf(pages=3), "d.pdf", "application/pdf")
    first = preview(stub, doc.name)
    assert (first.source.page, first.source.page_count) == (1, 3)
    assert max(first.width, first.height) == 300
    third = preview(stub, doc.name, page=3)
    assert third.source.page == 3
    assert failure(stub, doc.name, page=4) == ("OUT_OF_RANGE", "PAGE_OUT_OF_RANGE")


def test_unsupported_kinds_and_bad_specs(stub: pb_grpc.AttachmentServiceStub) -> None:
    letter = upload(stub, office.docx(), "l.docx")
    assert failure(stub, letter.name) == ("FAILED_PRECONDITION", "PREVIEW_UNSUPPORTED")
    photo = upload(stub, images.jpeg(50, 50), "small.jpg")
    assert failure(stub, photo.name, max_width=5000) == ("INVALID_ARGUMENT", "INVALID_PREVIEW_SPEC")
    assert failure(stub, photo.name, quality=101) == ("INVALID_ARGUMENT", "INVALID_PREVIEW_SPEC")
    assert failure(stub, "attachments/" + "0" * 32) == ("NOT_FOUND", "ATTACHMENT_NOT_FOUND")


def test_second_request_is_served_from_the_cache(
    server: ServerProcess, stub: pb_grpc.AttachmentServiceStub
) -> None:
    photo = upload(stub, images.jpeg(640, 481), "c.jpg")
    first = preview(stub, photo.name, max_width=123)
    second = preview(stub, photo.name, max_width=123)
    assert first == second
    server.wait_for_log(rf"preview rendered sha256={photo.sha256[:16]} key=preview-123x300")
    assert renders(server, photo.sha256, "123x300-webp-q80-p1") == 1


def test_twenty_identical_requests_render_once(
    server: ServerProcess, stub: pb_grpc.AttachmentServiceStub
) -> None:
    photo = upload(stub, images.jpeg(2000, 1500), "big.jpg")
    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(lambda _: preview(stub, photo.name, max_width=77), range(20)))
    assert all(r == results[0] for r in results)
    assert renders(server, photo.sha256, "77x300-webp-q80-p1") == 1


def test_eager_previews_are_ready_for_the_first_request(
    server: ServerProcess, stub: pb_grpc.AttachmentServiceStub
) -> None:
    photo = upload(stub, images.jpeg(900, 600), "eager.jpg")  # web-messaging warms 300x300
    server.wait_for_log(rf"preview rendered sha256={photo.sha256[:16]} key=preview-300x300")
    preview(stub, photo.name)
    assert renders(server, photo.sha256, "300x300-webp-q80-p1") == 1


# --- a server with one render worker, to see how it behaves when that worker is busy ---


@pytest.fixture
def one_worker(tmp_path: Path) -> Iterator[ServerProcess]:
    # No eager previews: a background render would take the one worker at unknown times.
    profiles = tmp_path / "profiles.toml"
    profiles.write_text("[profiles.web-messaging]\neager_previews = []\n")
    env = {
        "MEDIAGATE_RENDER_WORKERS": "1",
        "MEDIAGATE_RENDER_QUEUE": "1",
        "MEDIAGATE_PROFILES_FILE": str(profiles),
    }
    with ServerProcess(tmp_path / "data", env) as server:
        yield server


def _large_gradient_png(side: int) -> bytes:
    """side x side pixels that compress to little (so the upload is small) but decode slowly."""
    row = Image.linear_gradient("L").resize((side, 1))
    image = row.resize((side, side)).convert("RGB")
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=6)
    return out.getvalue()


def _slow_source(stub: pb_grpc.AttachmentServiceStub) -> str:
    """A 49-megapixel PNG: within the pixel cap, and its decode keeps a worker busy."""
    return upload(stub, _large_gradient_png(7000), "huge.png", "image/png").name


def test_a_full_queue_answers_resource_exhausted_and_metadata_stays_fast(
    one_worker: ServerProcess,
) -> None:
    stub = one_worker.stub()
    name = _slow_source(stub)
    health = health_pb2_grpc.HealthStub(one_worker.channel())
    calls = [
        stub.GetPreview.future(
            pb.GetPreviewRequest(name=name, spec=preview_pb2.PreviewSpec(max_width=100 + i)),
            timeout=120,
        )
        for i in range(4)
    ]
    # While the worker renders and the queue is full, health and metadata calls are answered.
    assert health.Check(health_pb2.HealthCheckRequest(), timeout=10).status == (
        health_pb2.HealthCheckResponse.SERVING
    )
    assert stub.GetAttachment(pb.GetAttachmentRequest(name=name), timeout=10).name == name
    # Uploads have a lane of their own: a full render lane does not refuse them.
    photo = images.jpeg(64, 48)
    assert upload(stub, photo, "while-busy.jpg").sha256 == hashlib.sha256(photo).hexdigest()
    assert not all(call.done() for call in calls)
    outcomes = []
    for call in calls:
        try:
            call.result()
            outcomes.append("OK")
        except grpc.RpcError as error:
            outcomes.append(error.code().name)
            if error.code() == grpc.StatusCode.RESOURCE_EXHAUSTED:
                assert error_details(error)[0].reason == "OVERLOADED"
    assert "OK" in outcomes and "RESOURCE_EXHAUSTED" in outcomes, outcomes


def _render_worker(server: ServerProcess, after: int = 0) -> psutil.Process:
    """The render lane's worker: the newest one the server announced (after log line `after`)."""
    line = server.wait_for_log(r"render worker pid=\d+ started", after=after)
    return psutil.Process(int(re.search(r"pid=(\d+)", line).group(1)))  # type: ignore[union-attr]


def test_a_killed_render_worker_is_replaced(one_worker: ServerProcess) -> None:
    stub = one_worker.stub()
    name = _slow_source(stub)
    call = stub.GetPreview.future(
        pb.GetPreviewRequest(name=name, spec=preview_pb2.PreviewSpec(max_width=150)), timeout=120
    )
    worker = _render_worker(one_worker)
    seen = len(one_worker.log)
    worker.kill()
    with pytest.raises(grpc.RpcError) as error:
        call.result()
    assert (error.value.code(), error_details(error.value)[0].reason) == (
        grpc.StatusCode.UNAVAILABLE,
        "WORKER_LOST",
    )
    one_worker.wait_for_log(f"replacing render worker pid={worker.pid}", after=seen)
    replacement = _render_worker(one_worker, after=seen)
    assert replacement.pid != worker.pid and replacement.is_running()
    again = preview(stub, name, max_width=150)
    assert again.width == 150
