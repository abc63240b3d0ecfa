"""What runs on an accepted file after its verdict and before it is kept, in order:

    scan    (optional) the malware scanner sees the bytes as sent; a hit refuses the file
    strip   (strip_metadata profiles) the stored bytes lose their metadata, losslessly

A step may refuse the file (raise Rejected) or replace the spool with other bytes to keep,
recording on the Examined what it did (original_sha256, metadata). Validate runs the steps
that judge (it keeps nothing, so it needs none that change bytes).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from mediagate.pipeline.upload import Examined


class FinishStep(Protocol):
    # Whether the step only judges (runs for Validate too) or changes what is kept.
    judges_only: bool

    async def __call__(self, examined: Examined) -> None: ...


async def finish(steps: Sequence[FinishStep], examined: Examined, keeping: bool) -> None:
    """Runs the steps on an accepted file; `keeping` is False for Validate."""
    for step in steps:
        if keeping or step.judges_only:
            await step(examined)
