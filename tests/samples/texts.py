"""Text formats: SVG (with a script or an entity when asked), plain UTF-8 text, CSV."""

from __future__ import annotations


def svg(script: bool = False, entity: bool = False) -> bytes:
    prolog = '<?xml version="1.0" encoding="UTF-8"?>\n'
    text = "hello"
    if entity:
        prolog += '<!DOCTYPE svg [<!ENTITY greeting "hello">]>\n'
        text = "&greeting;"
    body = (
        f'<rect x="1" y="1" width="30" height="20" fill="#c81e1e"/><text x="2" y="40">{text}</text>'
    )
    if script:
        body += "<script>alert(document.cookie)</script>"
    return (
        f'{prolog}<svg xmlns="http://www.w3.org/2000/svg" width="64" height="48" '
        f'viewBox="0 0 64 48">{body}</svg>\n'
    ).encode()


def text(lines: int = 10) -> bytes:
    return "".join(f"Line {i}: café naïve 東京\n" for i in range(1, lines + 1)).encode()


def csv(rows: int = 10) -> bytes:
    out = ["id,name,amount"]
    out += [f"{i},item {i},{i * 2.5:.2f}" for i in range(1, rows + 1)]
    return ("\n".join(out) + "\n").encode()


# What Excel on Windows writes for "CSV (semicolon-separated)" in a German or French locale:
# Windows-1252, with the euro sign, curly quotes and a dash in 0x80-0x9F.
EXCEL_ROWS = "Café;Größe;€\nNaïve;„zitiert“;10 \u2013 20 €\n"


def csv_in(encoding: str, rows: str = EXCEL_ROWS, repeat: int = 20) -> bytes:
    """CSV rows in `encoding` (a Python codec name: "cp1252", "latin-1", "utf-16", ...)."""
    return (rows * repeat).encode(encoding)


def text_with_binary(at: int = 70_000, byte: bytes = b"\x01") -> bytes:
    """ASCII text with one binary byte at `at`: past the 64 KiB libmagic reads, so only the
    text probe can see it."""
    line = b"plain text line\n"
    body = line * (at // len(line) + 1)
    return body[:at] + byte + line
