"""The worker-side entry point of inspection.

The server process names this function to the worker pool; the decoders it needs (Pillow,
pypdf, PyAV with FFmpeg) are imported only in the worker processes, where the forkserver has
preloaded them. Importing them in the server would cost ~60 MiB of resident memory for nothing.
"""

from __future__ import annotations

from mediagate.inspect.facts import Facts, ProbeLimits


def probe_in_worker(path: str, sniffed_mime: str, limits: ProbeLimits) -> Facts:
    from mediagate.inspect.probe import probe_file

    return probe_file(path, sniffed_mime, limits)
