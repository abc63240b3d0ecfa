"""The benchmark's inputs, generated deterministically and cached under bench/results/inputs/.

Content matters for decode cost: a flat colour JPEG decodes several times faster than a photo
(almost no AC coefficients to entropy-decode), so the "photos" are smooth colour fields plus
mid-scale structure plus fine sensor-like grain, and the photos carry EXIF orientation 6 (as
a phone held upright writes), so a renderer that honours orientation really has to rotate.

Everything derives from seeded random.Random streams and Pillow's encoders, so a given Pillow
build produces the same bytes on every run; the manifest records the generator version and the
files' sizes and hashes, and a file is made again only when it is missing or stale.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import random
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from minipdf import A4_POINTS, PdfPage, build_pdf, check_xref
from PIL import ExifTags, Image

# Bump when any generator changes, so cached files from an older recipe are remade.
GENERATOR_VERSION = 2
ORIENTATION_RIGHT_TOP = 6  # stored landscape, displayed rotated 90 degrees clockwise


@dataclass(frozen=True)
class BenchInput:
    name: str
    file_name: str
    mime: str
    description: str
    make: Callable[[Path], None]  # writes the file at the given path
    oriented: bool = False  # carries an EXIF orientation that swaps width and height


def photo(width: int, height: int, seed: int) -> Image.Image:
    """A photo-like RGB image: costs a JPEG decoder what a real photo costs."""
    rng = random.Random(seed)
    # Large smooth colour fields (sky, walls, skin at thumbnail scale): a coarse random grid
    # upsampled bicubically.
    coarse = Image.frombytes("RGB", (8, 6), rng.randbytes(8 * 6 * 3))
    image = coarse.resize((width, height), Image.Resampling.BICUBIC)
    # Mid-scale structure (edges, texture) so blocks have real AC energy.
    mid_size = (max(2, width // 24), max(2, height // 24))
    mid = Image.frombytes("RGB", mid_size, rng.randbytes(mid_size[0] * mid_size[1] * 3))
    image = Image.blend(image, mid.resize((width, height), Image.Resampling.BILINEAR), 0.3)
    # Fine texture a few pixels across (foliage, fabric, hair).
    fine_size = (max(2, width // 3), max(2, height // 3))
    fine = Image.frombytes("L", fine_size, rng.randbytes(fine_size[0] * fine_size[1]))
    fine_rgb = fine.resize((width, height), Image.Resampling.BICUBIC).convert("RGB")
    image = Image.blend(image, fine_rgb, 0.2)
    # Per-pixel grain of a few levels, like sensor noise: the part that makes entropy decoding
    # and zlib inflation expensive. Together: ~2.6 bits per pixel at q90, like phone photos.
    grain = Image.frombytes("L", (width, height), rng.randbytes(width * height))
    return Image.blend(image, grain.convert("RGB"), 0.06)


def _atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Writes via a temporary sibling so an interrupted run never leaves a truncated input."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=path.suffix)
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, 0o644)  # mkstemp makes it private; these are shareable fixtures
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _make_jpeg(width: int, height: int, seed: int) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        exif = Image.Exif()
        exif[ExifTags.Base.Orientation] = ORIENTATION_RIGHT_TOP
        exif[ExifTags.Base.Make] = "mediagate-bench"
        photo(width, height, seed).save(path, "JPEG", quality=90, exif=exif.tobytes())

    return make


def _make_png_rgba(path: Path) -> None:
    image = photo(4000, 3000, seed=21)
    # A soft vignette in the alpha channel: real, varying transparency, so a renderer cannot
    # treat the alpha as absent.
    alpha = Image.radial_gradient("L").resize(image.size, Image.Resampling.BICUBIC)
    image.putalpha(alpha.point(lambda v: 255 - v // 2))
    image.save(path, "PNG")


def _make_gif(path: Path) -> None:
    # A pan across a wider photo: every frame differs, as in a real animation, and all share
    # the first frame's palette, as GIF encoders' global colour tables do.
    panorama = photo(800 + 19 * 24, 600, seed=31)
    frames = [panorama.crop((24 * i, 0, 24 * i + 800, 600)) for i in range(20)]
    first = frames[0].quantize(256)
    rest = [frame.quantize(palette=first) for frame in frames[1:]]
    first.save(path, "GIF", save_all=True, append_images=rest, duration=80, loop=0)


_WORDS = [
    "guest", "attachment", "invoice", "booking", "reference", "policy", "travel", "receipt",
    "window", "seat", "luggage", "refund", "agent", "conversation", "schedule", "confirmation",
    "passenger", "itinerary",
]  # fmt: skip


def _make_pdf(path: Path) -> None:
    rng = random.Random(41)
    pages = []
    for number in range(1, 11):
        buffer = io.BytesIO()
        # 1600 x 1200 is what a phone-scanned or exported report typically embeds.
        photo(1600, 1200, seed=100 + number).save(buffer, "JPEG", quality=85)
        lines = tuple(" ".join(rng.choice(_WORDS) for _ in range(9)) for _ in range(22))
        pages.append(PdfPage(f"Report page {number}", lines, buffer.getvalue(), (1600, 1200)))
    path.write_bytes(build_pdf(pages))
    verify_pdf(path, len(pages))


def verify_pdf(path: Path, pages: int) -> None:
    """Both renderers the bench uses must open the file cleanly, text and image included."""
    import pypdfium2 as pdfium

    check_xref(path.read_bytes())
    document = pdfium.PdfDocument(str(path))
    try:
        if len(document) != pages:
            raise ValueError(f"pdfium sees {len(document)} pages, expected {pages}")
        page = document[0]
        if tuple(round(v) for v in page.get_size()) != A4_POINTS:
            raise ValueError(f"page size {page.get_size()} is not A4")
        textpage = page.get_textpage()
        if "Report page 1" not in textpage.get_text_range():
            raise ValueError("pdfium finds no text on page 1")
        # The photo must render: a page that is white where the photo goes means a broken
        # image XObject.
        rendered = page.render(scale=0.25).to_pil().convert("L")
        if rendered.crop((20, 40, 120, 100)).getextrema() == (255, 255):
            raise ValueError("pdfium renders no image on page 1")
        textpage.close()
        page.close()
    finally:
        document.close()
    if shutil.which("pdftoppm") is None:
        raise RuntimeError("pdftoppm is missing: apt-get install -y poppler-utils")
    with tempfile.TemporaryDirectory() as tmp:
        done = subprocess.run(
            ["pdftoppm", "-r", "20", "-png", str(path), f"{tmp}/page"],
            capture_output=True,
            text=True,
            check=False,
        )
        rendered_pages = len(list(Path(tmp).glob("page*.png")))
    # Poppler reports a damaged xref or stream on stderr and carries on, so silence is the test.
    if done.returncode != 0 or done.stderr.strip() or rendered_pages != pages:
        raise ValueError(
            f"pdftoppm: exit {done.returncode}, {rendered_pages} pages, stderr {done.stderr!r}"
        )


INPUTS: tuple[BenchInput, ...] = (
    BenchInput(
        "jpeg_1mp", "photo_1mp.jpg", "image/jpeg", "1.04 MP JPEG q90, EXIF orientation 6",
        _make_jpeg(1180, 885, seed=1), oriented=True,
    ),
    BenchInput(
        "jpeg_12mp", "photo_12mp.jpg", "image/jpeg", "12 MP JPEG q90, EXIF orientation 6",
        _make_jpeg(4000, 3000, seed=12), oriented=True,
    ),
    BenchInput(
        "jpeg_24mp", "photo_24mp.jpg", "image/jpeg", "24 MP JPEG q90, EXIF orientation 6",
        _make_jpeg(6000, 4000, seed=24), oriented=True,
    ),
    BenchInput(
        "png_12mp_rgba", "graphic_12mp.png", "image/png", "12 MP RGBA PNG, alpha vignette",
        _make_png_rgba,
    ),
    BenchInput(
        "gif_20f", "animation.gif", "image/gif", "800x600 GIF, 20 frames", _make_gif
    ),
    BenchInput(
        "pdf_10p", "report.pdf", "application/pdf",
        "10-page A4 PDF, Helvetica text + 1600x1200 JPEG per page", _make_pdf,
    ),
)  # fmt: skip


def ensure_inputs(directory: Path, wanted: list[BenchInput]) -> dict[str, dict[str, object]]:
    """Makes any missing or stale input; returns the manifest entries of the wanted ones."""
    directory.mkdir(parents=True, exist_ok=True)
    manifest_path = directory / "manifest.json"
    try:
        manifest = json.loads(manifest_path.read_text())
    except (OSError, ValueError):
        manifest = {}
    if manifest.get("version") != GENERATOR_VERSION:
        manifest = {"version": GENERATOR_VERSION, "files": {}}
    files: dict[str, dict[str, object]] = manifest["files"]
    for item in wanted:
        path = directory / item.file_name
        entry = files.get(item.name)
        # Size is a cheap staleness check; hashing ~100 MB on every run is not worth it.
        if entry is None or not path.exists() or path.stat().st_size != entry["bytes"]:
            print(f"generating {item.file_name} ...", flush=True)
            _atomic_write(path, item.make)
            data = path.read_bytes()
            files[item.name] = {
                "file": item.file_name,
                "bytes": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
            }
            manifest_path.write_text(json.dumps(manifest, indent=2))
    return {item.name: files[item.name] for item in wanted}
