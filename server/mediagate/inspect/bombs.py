"""When compressed data counts as a decompression bomb, shared by zip entries and PNG metadata."""

from __future__ import annotations

# Below this much output a high ratio is harmless (a blank bitmap, a run of spaces): only a
# large output at a high ratio is the shape of a bomb.
MIN_BOMB_OUTPUT = 1024 * 1024


def ratio_exceeded(compressed: int, uncompressed: int, max_ratio: float) -> bool:
    if uncompressed < MIN_BOMB_OUTPUT:
        return False
    return uncompressed > max_ratio * max(compressed, 1)
