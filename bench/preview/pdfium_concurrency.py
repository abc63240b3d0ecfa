"""PDFium is not thread-safe. Two ways to render PDF previews with both cores, measured:

    .venv/bin/python bench/preview/pdfium_concurrency.py [--renders 60]

  serialised  in the server process: two threads, one lock around every PDFium call (all a
              thread-safe wrapper can do), so one core renders while the other waits;
  processes   mediagate's way: the worker pool's two processes, each with its own PDFium.
Each render is page 1 of the bench's 10-page A4 PDF (text and a photo on each page) into a
distinct box (no caching anywhere), as a WebP.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))

from preview_inputs import INPUTS, ensure_inputs  # noqa: E402

from mediagate.media.preview_spec import PreviewSpec  # noqa: E402
from mediagate.preview.entry import render_in_worker  # noqa: E402
from mediagate.preview.render import render_preview  # noqa: E402
from mediagate.preview.result import RenderedPreview  # noqa: E402
from mediagate.workers.pool import WorkerPool  # noqa: E402

MAX_PIXELS = 50_000_000


def specs(count: int) -> list[PreviewSpec]:
    return [PreviewSpec(max_width=200 + i % 200, max_height=300) for i in range(count)]


def serialised(path: str, count: int) -> float:
    lock = threading.Lock()

    def one(spec: PreviewSpec) -> None:
        with lock:
            assert isinstance(
                render_preview(path, "application/pdf", spec, MAX_PIXELS), RenderedPreview
            )

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(one, specs(count)))
    return count / (time.perf_counter() - start)


async def processes(path: str, count: int) -> float:
    pool = WorkerPool(
        name="render",
        size=2,
        queue_limit=count,
        timeout_seconds=60,
        memory_bytes=1 << 30,
        preload=["mediagate.preview.entry", "mediagate.preview.render"],
    )
    await pool.start()
    try:
        await pool.run(render_in_worker, path, "application/pdf", PreviewSpec(), MAX_PIXELS)
        start = time.perf_counter()
        results = await asyncio.gather(
            *(
                pool.run(render_in_worker, path, "application/pdf", s, MAX_PIXELS)
                for s in specs(count)
            )
        )
        elapsed = time.perf_counter() - start
    finally:
        await pool.close()
    assert all(isinstance(r, RenderedPreview) for r in results)
    return count / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--renders", type=int, default=60)
    args = parser.parse_args()
    directory = ROOT / "bench" / "results" / "inputs"
    wanted = [item for item in INPUTS if item.name == "pdf_10p"]
    ensure_inputs(directory, wanted)
    path = str(directory / wanted[0].file_name)
    render_preview(path, "application/pdf", PreviewSpec(), MAX_PIXELS)  # warm the library
    locked = serialised(path, args.renders)
    forked = asyncio.run(processes(path, args.renders))
    print(f"PDF page-1 previews per second, {args.renders} renders, 2 cores:")
    print(f"  serialised in-process (2 threads, one lock): {locked:7.1f}/s")
    print(
        f"  worker processes (2):                        {forked:7.1f}/s  ({forked / locked:.2f}x)"
    )


if __name__ == "__main__":
    main()
