"""PDF: encryption, page count, actions that run code, and how the file ends.

pypdf reads leniently (strict=False), like viewers do, so what it reaches is what a viewer
would reach; a raw byte scan backs it up for objects a broken cross-reference table hides.
"""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO

from pypdf import PasswordType, PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, PdfObject

from mediagate.inspect.errors import failure
from mediagate.inspect.facts import DocumentFacts, Facts, ProbeLimits
from mediagate.inspect.pdf_bytes import RawScan, scan_pdf_bytes
from mediagate.inspect.trailing_data import check_trailing
from mediagate.media.scrub import describe
from mediagate.reasons import Finding, Reason

PDF = "application/pdf"

# Bounds on the object walk; hostile files claim millions of objects to exhaust a scanner.
_MAX_OBJECTS = 500_000
_MAX_NODES_PER_OBJECT = 100_000
_MAX_PAGE_TREE_NODES = 200_000
# What an incremental update looks like: bytes after %%EOF that start like these are a later
# revision cut short, not a second file.
_PDF_CONTINUES = re.compile(rb"\s*(?:\d+\s+\d+\s+obj\b|xref\b|trailer\b|startxref\b)")


def probe_pdf(path: str, limits: ProbeLimits) -> Facts:
    facts = Facts(mime_type=PDF)
    with open(path, "rb") as fh, _quiet_pypdf():
        raw = scan_pdf_bytes(fh)
        facts.findings.extend(_ending(fh, raw))
        try:
            reader = PdfReader(fh, strict=False)
        except Exception as exc:
            if "crypt" in describe(exc).lower():
                # An encryption scheme pypdf cannot open (certificate security, unknown
                # handlers): what the caller needs to hear is that the file is locked.
                facts.findings.append(_encrypted())
            elif not any(f.reason is Reason.TRUNCATED for f in facts.findings):
                facts.findings.append(failure("The PDF cannot be parsed", exc))
            facts.findings.extend(_active_content(raw.kinds, {}))
            return facts
        if reader.is_encrypted and not _opens_without_password(reader):
            facts.findings.append(_encrypted())
            facts.document = DocumentFacts(page_count=0)
            facts.findings.extend(_active_content(raw.kinds, {}))
            return facts
        try:
            pages, claimed = _count_pages(reader, limits.max_pages)
        except Exception as exc:
            facts.findings.append(failure("The PDF page tree cannot be read", exc))
            pages, claimed = 0, 0
        facts.document = DocumentFacts(page_count=pages)
        if pages > limits.max_pages:
            facts.findings.append(
                Finding(
                    Reason.TOO_MANY_PAGES,
                    f"The PDF has more than {limits.max_pages} pages.",
                    {"limit": str(limits.max_pages), "actual": str(max(pages, claimed))},
                )
            )
        facts.findings.extend(_active_content(raw.kinds, _walk_objects(reader)))
    return facts


@contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """pypdf logs a warning per oddity; a hostile file would flood the worker's log."""
    logger = logging.getLogger("pypdf")
    saved = logger.level
    logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(saved)


def _ending(fh: BinaryIO, raw: RawScan) -> list[Finding]:
    if raw.last_eof_end is None:
        return [Finding(Reason.TRUNCATED, "The PDF has no %%EOF marker: it is cut short.")]
    if raw.last_eof_end >= raw.size:
        return []
    fh.seek(raw.last_eof_end)
    if _PDF_CONTINUES.match(fh.read(1024)):
        return [Finding(Reason.TRUNCATED, "The PDF's last update is cut short (no %%EOF).")]
    trailing = check_trailing(fh, raw.last_eof_end, "after %%EOF")
    return [trailing] if trailing is not None else []


def _encrypted() -> Finding:
    return Finding(Reason.ENCRYPTED, "The PDF needs a password to open.", {"kind": "pdf"})


def _opens_without_password(reader: PdfReader) -> bool:
    """An empty user password (an owner-only "permissions" PDF) opens in any viewer."""
    try:
        return reader.decrypt("") != PasswordType.NOT_DECRYPTED
    except Exception:
        return False


def _resolve(value: object) -> object:
    return value.get_object() if isinstance(value, IndirectObject) else value


def _count_pages(reader: PdfReader, limit: int) -> tuple[int, int]:
    """Leaf pages counted by walking the page tree, one past the limit at most, with a guard
    against loops; and the /Count the root claims."""
    root = _resolve(reader.trailer.get("/Root"))
    if not isinstance(root, DictionaryObject):
        raise ValueError("the trailer has no document catalog")
    tree = _resolve(dict.get(root, "/Pages"))
    if not isinstance(tree, DictionaryObject):
        raise ValueError("the document catalog has no page tree")
    claimed = _resolve(dict.get(tree, "/Count"))
    stack: list[object] = [tree]
    seen: set[int] = set()
    count = visited = 0
    while stack and count <= limit and visited < _MAX_PAGE_TREE_NODES:
        node = stack.pop()
        visited += 1
        if not isinstance(node, DictionaryObject):
            continue
        kids = _resolve(dict.get(node, "/Kids"))
        if not isinstance(kids, ArrayObject):
            if _resolve(dict.get(node, "/Type")) != "/Pages":
                count += 1
            continue
        for kid in reversed(list(kids)):  # raw entries, resolved below once each
            if isinstance(kid, IndirectObject):
                if kid.idnum in seen:
                    continue
                seen.add(kid.idnum)
            stack.append(_resolve(kid))
    return count, claimed if isinstance(claimed, int) else 0


def _walk_objects(reader: PdfReader) -> dict[str, str]:
    """Every object the cross-reference tables and object streams list, looked through for
    actions; returns kind -> where it was first seen."""
    found: dict[str, str] = {}
    _look_inside(reader.trailer, "the trailer", found)
    ids = [(idnum, gen) for gen, table in reader.xref.items() for idnum in table]
    ids += [(idnum, 0) for idnum in reader.xref_objStm]
    for idnum, gen in ids[:_MAX_OBJECTS]:
        try:
            obj = reader.get_object(IndirectObject(idnum, gen, reader))
        except Exception:
            continue  # one unreadable object is no reason to stop looking at the rest
        if obj is not None:
            _look_inside(obj, f"object {idnum}", found)
        if len(found) == 2:
            break
    return found


def _look_inside(obj: PdfObject, where: str, found: dict[str, str]) -> None:
    """Checks an object and the dictionaries and arrays written inside it (not those it refers
    to: those are objects of their own, visited in turn)."""
    stack: list[object] = [obj]
    nodes = 0
    while stack and nodes < _MAX_NODES_PER_OBJECT:
        item = stack.pop()
        nodes += 1
        if isinstance(item, DictionaryObject):
            for kind in _actions(item):
                found.setdefault(kind, where)
            stack.extend(v for v in dict.values(item) if isinstance(v, (dict, list)))
        elif isinstance(item, ArrayObject):
            stack.extend(v for v in list.__iter__(item) if isinstance(v, (dict, list)))


def _actions(item: DictionaryObject) -> Iterator[str]:
    # A /JS entry only exists in JavaScript actions; /JavaScript as a key is the document's
    # name tree of scripts (/Names << /JavaScript ... >>), run when the file opens.
    if "/JS" in item or "/JavaScript" in item:
        yield "javascript"
    try:
        subtype = _resolve(dict.get(item, "/S"))
    except Exception:
        return
    if subtype == "/JavaScript":
        yield "javascript"
    elif subtype == "/Launch":
        yield "launch"


def _active_content(raw_kinds: set[str], walked: dict[str, str]) -> list[Finding]:
    found = []
    for kind in sorted(raw_kinds | set(walked)):
        where = walked.get(kind, "the raw bytes")
        what = "runs JavaScript" if kind == "javascript" else "launches a program"
        found.append(
            Finding(
                Reason.ACTIVE_CONTENT,
                f"The PDF has an action that {what} (in {where}).",
                {"kind": kind, "part": where},
            )
        )
    return found
