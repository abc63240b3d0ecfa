"""SVG: parsed as a stream, without building a tree, with entity declarations and foreign
DTDs forbidden, looking for anything that would run script when a browser renders it.
"""

from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import ParseError

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import DefusedXMLParser

from mediagate.inspect.errors import failure
from mediagate.inspect.facts import Facts
from mediagate.inspect.xml_targets import StartTagsOnly
from mediagate.reasons import Finding, Reason

SVG = "image/svg+xml"
# libmagic says text/xml or application/xml for SVGs it does not recognise (UTF-16, odd
# prologs); the root element decides.
SVG_CANDIDATES = frozenset({SVG, "text/xml", "application/xml"})

_READ = 64 * 1024
_SCRIPT_ELEMENTS = frozenset({"script", "foreignObject", "handler"})
_SCRIPT_SCHEMES = ("javascript:", "vbscript:")
_XML_ATTACKS = (DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden)


class _NotSvg(Exception):
    """The document's root is not <svg>."""


class _Seen(Exception):
    """One reason is enough: stop parsing."""


def _standard_svg_dtd(name: str, sysid: str | None, pubid: str | None) -> bool:
    # The W3C SVG DOCTYPE is common (matplotlib and older Illustrator write it) and harmless:
    # browsers never fetch it and it declares no entities.
    if name != "svg":
        return False
    if sysid is None:
        return pubid is None
    return (
        sysid.startswith("http://www.w3.org/")
        and sysid.endswith(".dtd")
        and (pubid is None or pubid.startswith("-//W3C//DTD SVG"))
    )


class _SvgParser(DefusedXMLParser):  # type: ignore[misc]  # defusedxml has no type stubs
    """defusedxml's parser, letting through only the standard SVG DOCTYPE with no internal
    subset; any declared entity still raises."""

    def __init__(self, target: _Scan, expect_svg: bool) -> None:
        super().__init__(target=target, forbid_dtd=True)
        self._expect_svg = expect_svg

    def defused_start_doctype_decl(
        self, name: str, sysid: str | None, pubid: str | None, has_internal_subset: bool
    ) -> None:
        if not self._expect_svg and name != "svg":
            raise _NotSvg
        if has_internal_subset or not _standard_svg_dtd(name, sysid, pubid):
            raise DTDForbidden(name, sysid, pubid)


class _Scan(StartTagsOnly):
    """Parser target: sees each start tag with its attributes, keeps nothing."""

    def __init__(self) -> None:
        self.root: str | None = None
        self.finding: Finding | None = None

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        local = tag.rsplit("}", 1)[-1]
        if self.root is None:
            self.root = local
            if local != "svg":
                raise _NotSvg
        if local in _SCRIPT_ELEMENTS:
            self._flag(f"<{local}>", f"a <{local}> element")
        for name, value in attrib.items():
            attribute = name.rsplit("}", 1)[-1].lower()
            if attribute.startswith("on"):
                self._flag(f"{attribute}=", f"an event handler attribute ({attribute})")
            # Browsers ignore whitespace and control characters inside a URL scheme.
            squeezed = "".join(ch for ch in value if ch > " ").lower()
            if squeezed.startswith(_SCRIPT_SCHEMES):
                self._flag(f"{attribute}=", f"a script URL in {attribute}")

    def _flag(self, part: str, what: str) -> None:
        self.finding = Finding(
            Reason.ACTIVE_CONTENT,
            f"The SVG has {what}, which runs script when rendered.",
            {"kind": "script", "part": part},
        )
        raise _Seen


def probe_svg(path: str, mime: str) -> Facts:
    scan = _Scan()
    parser: Any = _SvgParser(scan, expect_svg=mime == SVG)
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(_READ):
                parser.feed(chunk)
        parser.close()
    except _NotSvg:
        return Facts(mime_type=mime)
    except _Seen:
        assert scan.finding is not None
        return Facts(mime_type=SVG, findings=[scan.finding])
    except _XML_ATTACKS:
        return Facts(
            mime_type=SVG,
            findings=[
                Finding(
                    Reason.ACTIVE_CONTENT,
                    "The SVG declares a DTD or entities (XML entity expansion / external "
                    "entities).",
                    {"kind": "entity", "part": "DOCTYPE"},
                )
            ],
        )
    except (ParseError, UnicodeError, ValueError, LookupError) as exc:
        if scan.root is None and mime != SVG:
            return Facts(mime_type=mime)  # malformed XML of unknown kind: not ours to judge
        return Facts(mime_type=SVG, findings=[failure("The SVG is not well-formed XML", exc)])
    if scan.root is None:
        return Facts(mime_type=mime)
    return Facts(mime_type=SVG)
