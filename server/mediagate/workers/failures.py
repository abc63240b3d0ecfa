"""The one translation of a worker failure (a job that timed out, whose worker died, or that
raised) into what a caller is told.

The rule: a job runs on one file, so its failure is that file's.
- A file being taken in (probe lane, a voice message's pass) is refused as CORRUPT: a file
  that makes its decoder hang, exceed the memory cap or crash is hostile or broken either way.
- A file already stored (render lane) passed intake's decode, so a failed render is
  PREVIEW_FAILED; but a worker that *died* is more likely killed from outside (the OOM killer,
  an operator) than by a file intake already decoded, so that is WORKER_LOST: retry, the
  worker has been replaced.
In every case ErrorInfo's `kind` is "<lane>_<timeout|crashed|error>", and the message never
carries a path (workers' details are scrubbed where they are made).
"""

from __future__ import annotations

from mediagate.errors import ErrorReason, MediagateError
from mediagate.reasons import Finding, Reason
from mediagate.workers.pool import WorkerFailed

_WHY = {
    "timeout": "could not be processed within the time limit",
    "crashed": "made its worker fail",
    "error": "made its worker fail",
}


def _kind(failed: WorkerFailed) -> str:
    return f"{failed.lane}_{failed.kind}"


def refusal(failed: WorkerFailed, detected_mime_type: str) -> Finding:
    """The finding that refuses an incoming file whose job failed."""
    return Finding(
        Reason.CORRUPT,
        f"The file {_WHY.get(failed.kind, _WHY['error'])} ({failed.detail}).",
        {"detected_mime_type": detected_mime_type, "kind": _kind(failed)},
    )


def stored_file_error(failed: WorkerFailed) -> MediagateError:
    """The error for a stored file whose job (a render) failed."""
    if failed.kind == "crashed":
        return MediagateError(
            ErrorReason.WORKER_LOST,
            f"The {failed.lane} worker died; it has been replaced. Retry.",
            {"kind": _kind(failed)},
        )
    return MediagateError(
        ErrorReason.PREVIEW_FAILED,
        f"The preview could not be rendered ({failed.detail}).",
        {"kind": _kind(failed)},
    )
