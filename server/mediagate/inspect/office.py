"""Office Open XML (docx, xlsx, pptx): what the zip holds, checked from its directory first.

Which main part is present decides the type; macros are found by part names and content
types, never by running anything; XML parts are parsed with DTDs forbidden, since a DTD in
an OOXML part has no use but entity expansion and external fetches.
"""

from __future__ import annotations

import zipfile
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import DefusedXMLParser, fromstring

from mediagate.inspect.errors import failure
from mediagate.inspect.facts import DocumentFacts, Facts, ProbeLimits
from mediagate.inspect.xml_targets import StartTagsOnly
from mediagate.inspect.zip_bounds import check_entries, declared_entry_count, too_many_entries
from mediagate.media.mime import DOCX, OOXML, PPTX, XLSX
from mediagate.reasons import Finding, Reason

ZIP = "application/zip"
ENCRYPTED_CONTAINER = "application/encrypted"  # libmagic's "CDFV2 Encrypted"
OFFICE_TYPES = OOXML | {
    ZIP,
    # What some libmagic versions say for the macro-enabled variants.
    "application/vnd.ms-word.document.macroenabled.12",
    "application/vnd.ms-excel.sheet.macroenabled.12",
    "application/vnd.ms-powerpoint.presentation.macroenabled.12",
}

_CONTENT_TYPES = "[Content_Types].xml"
_MAIN_PARTS = {
    "word/document.xml": DOCX,
    "xl/workbook.xml": XLSX,
    "ppt/presentation.xml": PPTX,
}
# Main-part content types name their family: documents whose main part has another name.
_FAMILY_MARKERS = (
    (("wordprocessingml", "ms-word"), DOCX),
    (("spreadsheetml", "ms-excel"), XLSX),
    (("presentationml", "ms-powerpoint"), PPTX),
)
_MACRO_SHEETS = ("xl/macrosheets/", "xl/intl-macrosheets/")
_XML_SUFFIXES = (".xml", ".rels", ".vml")
# The XML parts parsed whole are small in real files; larger ones are not read at all.
_MAX_XML_BYTES = 4 * 1024 * 1024
_READ = 16 * 1024
_XML_ATTACKS = (DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden)


def encrypted_container() -> Facts:
    return Facts(
        mime_type=ENCRYPTED_CONTAINER,
        findings=[
            Finding(
                Reason.ENCRYPTED,
                "The file is a password-protected Office document (an encrypted container).",
                {"kind": "office"},
            )
        ],
    )


def probe_office(path: str, mime: str, limits: ProbeLimits) -> Facts:
    facts = Facts(mime_type=mime)
    with open(path, "rb") as fh:
        count = declared_entry_count(fh)
        if count is not None and count > limits.max_zip_entries:
            facts.findings.append(too_many_entries(count, limits))
            return facts
        try:
            archive = zipfile.ZipFile(fh)
        except Exception as exc:
            facts.findings.append(failure("The file is not a readable zip archive", exc))
            return facts
        with archive:
            _inspect(archive, facts, limits)
    return facts


def _inspect(archive: zipfile.ZipFile, facts: Facts, limits: ProbeLimits) -> None:
    infos = archive.infolist()
    bombs = check_entries(infos, limits)
    facts.findings.extend(bombs)
    by_name = {info.filename: info for info in infos}
    types = _content_types(archive, by_name.get(_CONTENT_TYPES), facts)
    family = _family(by_name, types)
    facts.mime_type = family or ZIP
    if family is None:
        return
    facts.findings.extend(_macros(by_name, types))
    encrypted = [info.filename for info in infos if info.flag_bits & 0x1]
    if encrypted:
        facts.findings.append(
            Finding(
                Reason.ENCRYPTED,
                f"{len(encrypted)} parts of the document are encrypted.",
                {"part": encrypted[0], "kind": "zip"},
            )
        )
    if bombs or encrypted:
        return  # nothing more is inflated from an archive that failed its bounds
    try:
        _check_xml_prologs(archive, infos, facts)
        facts.document = DocumentFacts(page_count=_page_count(archive, by_name, family))
    except Exception as exc:
        facts.findings.append(failure("A part of the document cannot be read", exc))


def _content_types(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo | None, facts: Facts
) -> dict[str, str]:
    """Part name (or "*.ext" for a default) -> content type, lower-cased."""
    if info is None:
        return {}
    if info.file_size > _MAX_XML_BYTES:
        facts.findings.append(
            Finding(
                Reason.CORRUPT,
                f"{_CONTENT_TYPES} declares {info.file_size} bytes; real ones are a few KiB.",
                {"part": _CONTENT_TYPES},
            )
        )
        return {}
    try:
        root = _parse(archive, info)
    except _XML_ATTACKS:
        facts.findings.append(_entity_finding(_CONTENT_TYPES))
        return {}
    except Exception as exc:
        facts.findings.append(failure(f"{_CONTENT_TYPES} cannot be parsed", exc))
        return {}
    types = {}
    for element in root:
        local = element.tag.rsplit("}", 1)[-1]
        ctype = element.get("ContentType", "").lower()
        if local == "Override":
            types[element.get("PartName", "").lstrip("/")] = ctype
        elif local == "Default":
            types["*." + element.get("Extension", "").lower()] = ctype
    return types


def _parse(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Element:
    with archive.open(info) as part:
        data = part.read(_MAX_XML_BYTES + 1)
    root: Element = fromstring(data, forbid_dtd=True)
    return root


def _family(by_name: dict[str, zipfile.ZipInfo], types: dict[str, str]) -> str | None:
    if _CONTENT_TYPES not in by_name:
        return None
    for part, family in _MAIN_PARTS.items():
        if part in by_name:
            return family
    for part, ctype in types.items():
        if part in by_name and ctype.endswith("main+xml"):
            for markers, family in _FAMILY_MARKERS:
                if any(marker in ctype for marker in markers):
                    return family
    return None


def _macros(by_name: dict[str, zipfile.ZipInfo], types: dict[str, str]) -> list[Finding]:
    found: dict[str, str] = {}
    for name in by_name:
        lowered = name.lower()
        if lowered.endswith("vbaproject.bin"):
            found.setdefault("vba", name)
        elif lowered.startswith(_MACRO_SHEETS):
            found.setdefault("xlm", name)
    for part, ctype in types.items():
        if "macrosheet" in ctype:
            found.setdefault("xlm", part)
        elif "vbaproject" in ctype:
            found.setdefault("vba", part)
    if not found:
        # A macro-enabled main type with no macro part in sight: Office still treats the file
        # as one that may run macros, and the parts may hide under other names.
        for part, ctype in types.items():
            if "macroenabled" in ctype:
                found["vba"] = part
                break
    return [
        Finding(
            Reason.ACTIVE_CONTENT,
            f"The document carries {'VBA' if kind == 'vba' else 'Excel 4.0 (XLM)'} macros "
            f"({part}).",
            {"kind": kind, "part": part},
        )
        for kind, part in sorted(found.items())
    ]


class _RootReached(Exception):
    """Raised from the parser target at the first element: the prolog is all we read."""


class _StopAtRoot(StartTagsOnly):
    def start(self, tag: str, attrib: dict[str, str]) -> None:
        raise _RootReached


def _check_xml_prologs(
    archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], facts: Facts
) -> None:
    """ACTIVE_CONTENT for the first XML part whose prolog declares a DTD or entities.

    Any part may be parsed later (previews, converters), so each one's prolog is read up to
    its root element, however long an attacker makes it.
    """
    for info in infos:
        if info.filename == _CONTENT_TYPES or not info.filename.lower().endswith(_XML_SUFFIXES):
            continue
        parser: Any = DefusedXMLParser(target=_StopAtRoot(), forbid_dtd=True)
        with archive.open(info) as part:
            while chunk := part.read(_READ):
                try:
                    parser.feed(chunk)
                except _XML_ATTACKS:
                    facts.findings.append(_entity_finding(info.filename))
                    return
                except (_RootReached, ParseError):
                    break  # a malformed part is for the application to refuse


def _entity_finding(part: str) -> Finding:
    return Finding(
        Reason.ACTIVE_CONTENT,
        f"{part} declares a DTD or entities (XML entity expansion / external entities).",
        {"kind": "entity", "part": part},
    )


def _page_count(archive: zipfile.ZipFile, by_name: dict[str, zipfile.ZipInfo], family: str) -> int:
    """Pages (docx) or slides (pptx) from docProps/app.xml, sheets (xlsx) from the workbook;
    0 when the document does not say."""
    if family == XLSX:
        info = by_name.get("xl/workbook.xml")
        wanted = "sheet"
    else:
        info = by_name.get("docProps/app.xml")
        wanted = "Pages" if family == DOCX else "Slides"
    if info is None or info.file_size > _MAX_XML_BYTES:
        return 0
    try:
        root = _parse(archive, info)
    except (ParseError, *_XML_ATTACKS):
        return 0
    if family == XLSX:
        return sum(1 for element in root.iter() if element.tag.rsplit("}", 1)[-1] == wanted)
    for element in root:
        if element.tag.rsplit("}", 1)[-1] == wanted and (element.text or "").strip().isdigit():
            return int((element.text or "").strip())
    return 0
