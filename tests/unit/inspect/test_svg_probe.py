from __future__ import annotations

from pathlib import Path

import pytest

from mediagate.reasons import Reason
from tests.samples import texts
from tests.unit.inspect.probing import only, probe

SVG_OPEN = b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'


def test_a_plain_svg_is_fine(tmp_path: Path) -> None:
    facts = probe(tmp_path, texts.svg())
    assert facts.mime_type == "image/svg+xml"
    assert facts.findings == []


def test_a_script_element_is_active_content(tmp_path: Path) -> None:
    finding = only(probe(tmp_path, texts.svg(script=True)), Reason.ACTIVE_CONTENT)
    assert finding.metadata["kind"] == "script"


def test_an_entity_declaration_is_active_content(tmp_path: Path) -> None:
    finding = only(probe(tmp_path, texts.svg(entity=True)), Reason.ACTIVE_CONTENT)
    assert finding.metadata["kind"] == "entity"


def test_billion_laughs_is_refused_before_expansion(tmp_path: Path) -> None:
    entities = b'<!ENTITY a0 "lol">' + b"".join(
        b'<!ENTITY a%d "%s">' % (i, b"&a%d;" % (i - 1) * 10) for i in range(1, 10)
    )
    data = b"<?xml version='1.0'?><!DOCTYPE svg [" + entities + b"]>"
    data += SVG_OPEN + b"<text>&a9;</text></svg>"
    finding = only(probe(tmp_path, data, mime="image/svg+xml"), Reason.ACTIVE_CONTENT)
    assert finding.metadata["kind"] == "entity"


@pytest.mark.parametrize(
    "body",
    [
        b'<rect onload="alert(1)"/>',
        b'<a xlink:href="javascript:alert(1)"><text>x</text></a>',
        b'<a href=" JaVa&#9;Script:alert(1)"><text>x</text></a>',
        b'<set attributeName="href" to="javascript:alert(1)"/>',
        b"<foreignObject><div>x</div></foreignObject>",
    ],
    ids=["onload", "xlink-href", "obfuscated-href", "animated-href", "foreignObject"],
)
def test_script_vectors_are_active_content(tmp_path: Path, body: bytes) -> None:
    data = b'<?xml version="1.0"?>\n' + SVG_OPEN + body + b"</svg>"
    finding = only(probe(tmp_path, data), Reason.ACTIVE_CONTENT)
    assert finding.metadata["kind"] == "script"


def test_the_standard_svg_doctype_is_allowed(tmp_path: Path) -> None:
    doctype = (
        b'<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
        b'"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
    )
    data = texts.svg().replace(b"<svg", doctype + b"<svg", 1)
    assert probe(tmp_path, data).findings == []


def test_a_foreign_external_dtd_is_active_content(tmp_path: Path) -> None:
    doctype = b'<!DOCTYPE svg SYSTEM "http://attacker.example/x.dtd">\n'
    data = texts.svg().replace(b"<svg", doctype + b"<svg", 1)
    assert only(probe(tmp_path, data), Reason.ACTIVE_CONTENT).metadata["kind"] == "entity"


def test_a_utf16_svg_that_libmagic_calls_xml_is_refined(tmp_path: Path) -> None:
    data = texts.svg().decode().replace("UTF-8", "UTF-16").encode("utf-16")
    facts = probe(tmp_path, data, mime="text/xml")
    assert facts.mime_type == "image/svg+xml"
    assert facts.findings == []


def test_xml_that_is_not_svg_is_left_alone(tmp_path: Path) -> None:
    facts = probe(
        tmp_path, b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "b">]><r/>', mime="text/xml"
    )
    assert facts.mime_type == "text/xml"
    assert facts.findings == []


def test_a_malformed_svg_is_corrupt(tmp_path: Path) -> None:
    facts = probe(tmp_path, texts.svg()[:-12])
    assert facts.mime_type == "image/svg+xml"
    only(facts, Reason.CORRUPT)
