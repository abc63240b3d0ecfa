"""Resource ids: 32 lowercase hex characters that sort by creation time (milliseconds first,
then 80 bits of randomness), so "newest first" is "largest id first" (store/pages.py)."""

from __future__ import annotations

import secrets


def time_sorted_id(now: float) -> str:
    return f"{int(now * 1000):012x}{secrets.token_hex(10)}"
