"""Plain text and CSV: UTF-8 (or UTF-16 with a byte order mark) and no NUL characters."""

from __future__ import annotations

import codecs

from mediagate.inspect.facts import Facts
from mediagate.reasons import Finding, Reason

TEXT_TYPES = frozenset({"text/plain", "text/csv"})
_READ = 256 * 1024


def probe_text(path: str, mime: str) -> Facts:
    finding = _check(path)
    return Facts(mime_type=mime, findings=[finding] if finding else [])


def _check(path: str) -> Finding | None:
    with open(path, "rb") as fh:
        bom = fh.read(2)
        fh.seek(0)
        utf16 = bom in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
        encoding = "UTF-16" if utf16 else "UTF-8"
        # The utf-16 codec reads the BOM for byte order; utf-8-sig drops a UTF-8 BOM.
        decoder = codecs.getincrementaldecoder("utf-16" if utf16 else "utf-8-sig")("strict")
        offset = 0
        try:
            while chunk := fh.read(_READ):
                text = decoder.decode(chunk)
                # A NUL makes text binary to every consumer (C strings, CSV readers, shells).
                nul = text.find("\x00") if utf16 else chunk.find(b"\x00")
                if nul >= 0:
                    where = "" if utf16 else f" at byte {offset + nul}"
                    return Finding(Reason.CORRUPT, f"The text contains a NUL character{where}.")
                offset += len(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as exc:
            return Finding(
                Reason.CORRUPT,
                f"The text is not valid {encoding} near byte {offset + exc.start}.",
                {"kind": encoding.lower()},
            )
    return None
