"""Keeping file paths out of messages that reach callers.

Decoders quote the paths they open (Pillow's "cannot identify image file '...'", FFmpeg's
"...: Invalid data found"), and a worker opens the store's own files: a message that named
them would tell a caller where and how mediagate keeps its data.
"""

from __future__ import annotations

import os

MAX_DETAIL = 300


def scrub_paths(text: str, *paths: str, placeholder: str = "<file>") -> str:
    """text on one line, with every spelling of each path (as given, absolute, resolved)
    replaced by placeholder. Longest first, so a path that prefixes another is not half
    replaced."""
    flat = " ".join(text.split())
    variants = {v for p in paths if p for v in (p, os.path.abspath(p), os.path.realpath(p))}
    for variant in sorted(variants, key=len, reverse=True):
        flat = flat.replace(variant, placeholder)
    return flat


def describe(exc: BaseException, *paths: str) -> str:
    """A short, single-line account of an exception for a message, with paths scrubbed."""
    text = scrub_paths(str(exc), *paths) or "no details"
    return f"{type(exc).__name__}: {text}"[:MAX_DETAIL]
