"""HEIC and AVIF previews: rendered like any image, upright whichever way the container says
to turn them, and never from an embedded thumbnail."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from mediagate.media import heif_plugin
from mediagate.media.preview_spec import PreviewFormat
from tests.samples import images
from tests.unit.preview.rendering import close, decoded, rendered, rgb_at, spec

RED = (200, 30, 30)


@pytest.mark.parametrize(("fmt", "mime"), [("HEIF", "image/heic"), ("AVIF", "image/avif")])
@pytest.mark.parametrize("orientation", [0, 6, 3])
def test_a_preview_is_upright(tmp_path: Path, fmt: str, mime: str, orientation: int) -> None:
    data = images.heif_photo(fmt, 64, 48, exif_orientation=orientation, quality=95)
    result = rendered(tmp_path, data, mime, spec(PreviewFormat.PNG))
    img = decoded(result)
    turned = orientation == 6
    assert img.size == ((48, 64) if turned else (64, 48))
    assert (result.source_width, result.source_height) == img.size
    # The marker painted top-left in the stored image: top-right after a quarter turn
    # clockwise (6), bottom-right after a half turn (3).
    corner = {0: (2, 2), 6: (img.width - 3, 2), 3: (img.width - 3, img.height - 3)}[orientation]
    assert close(rgb_at(img, *corner), images.MARKER, 40), rgb_at(img, *corner)
    assert close(rgb_at(img, img.width // 2, img.height - 3 if orientation != 3 else 3), RED, 40)


def test_an_embedded_thumbnail_is_never_what_the_preview_shows() -> None:
    # pillow-heif matches a thumbnail to its image by size only, so a crafted file's thumbnail
    # can be another picture; with thumbnails off, draft has none to decode instead.
    heif_plugin.register()
    out = io.BytesIO()
    Image.new("RGB", (1200, 900), RED).save(out, "HEIF", thumbnails=[400])
    with Image.open(io.BytesIO(out.getvalue()), formats=["HEIF"]) as img:
        assert not img.info.get("thumbnails")
        assert img.draft("RGB", (300, 225)) is None
        assert img.size == (1200, 900)
