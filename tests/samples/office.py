"""Office Open XML files (docx, docm, xlsx, pptx), and hostile ones: VBA and XLM macros, a
zip bomb, an entity declaration."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping

from tests.samples.archives import zip_of

_XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
_EXT_PROPS = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties"
)
_APP_NS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"


def _content_types(overrides: Mapping[str, str], extra_defaults: str = "") -> bytes:
    items = "".join(
        f'<Override PartName="/{name}" ContentType="{ctype}"/>' for name, ctype in overrides.items()
    )
    return (
        f'{_XML_DECL}<Types xmlns="{_CT_NS}">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>{extra_defaults}{items}</Types>'
    ).encode()


def _rels(main_part: str) -> bytes:
    return (
        f'{_XML_DECL}<Relationships xmlns="{_REL_NS}">'
        f'<Relationship Id="rId1" Type="{_OFFICE_DOC}" Target="{main_part}"/>'
        f'<Relationship Id="rId2" Type="{_EXT_PROPS}" Target="docProps/app.xml"/>'
        "</Relationships>"
    ).encode()


def _app(counts: str) -> bytes:
    # The generator's old single-file name, kept so that these files stay byte for byte the same.
    return (
        f'{_XML_DECL}<Properties xmlns="{_APP_NS}">'
        f"<Application>samples.py</Application>{counts}</Properties>"
    ).encode()


_APP_CT = "application/vnd.openxmlformats-officedocument.extended-properties+xml"
_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_S_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_P_NS = "http://schemas.openxmlformats.org/presentationml/2006/main"
_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _docx_parts(main_type: str, pages: int = 1) -> dict[str, bytes]:
    document = (
        f'{_XML_DECL}<w:document xmlns:w="{_W_NS}">'
        "<w:body><w:p><w:r><w:t>Hello</w:t></w:r></w:p></w:body></w:document>"
    ).encode()
    return {
        "[Content_Types].xml": _content_types(
            {"word/document.xml": main_type, "docProps/app.xml": _APP_CT}
        ),
        "_rels/.rels": _rels("word/document.xml"),
        "word/document.xml": document,
        "docProps/app.xml": _app(f"<Pages>{pages}</Pages>"),
    }


def docx(pages: int = 1) -> bytes:
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    return zip_of(_docx_parts(main, pages))


def docm_with_vba() -> bytes:
    parts = _docx_parts("application/vnd.ms-word.document.macroEnabled.main+xml")
    parts["[Content_Types].xml"] = _content_types(
        {
            "word/document.xml": "application/vnd.ms-word.document.macroEnabled.main+xml",
            "docProps/app.xml": _APP_CT,
        },
        '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>',
    )
    # An OLE compound-file signature and padding: enough to look like a VBA project.
    parts["word/vbaProject.bin"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    parts["word/_rels/document.xml.rels"] = (
        f'{_XML_DECL}<Relationships xmlns="{_REL_NS}">'
        '<Relationship Id="rId9" '
        'Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" '
        'Target="vbaProject.bin"/></Relationships>'
    ).encode()
    return zip_of(parts)


def docx_zip_bomb(zero_bytes: int = 16 * 1024 * 1024) -> bytes:
    """A docx carrying a part of zeros that compresses about 1000:1."""
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    parts = _docx_parts(main)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
        zf.writestr("word/media/padding.bin", b"\x00" * zero_bytes)
    return out.getvalue()


def docx_with_entity() -> bytes:
    """A docx whose [Content_Types].xml declares an entity (the XXE / billion-laughs shape)."""
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    parts = _docx_parts(main)
    ct = parts["[Content_Types].xml"].decode()
    head, body = ct.split("\n", 1)
    parts["[Content_Types].xml"] = (
        f'{head}\n<!DOCTYPE Types [<!ENTITY a "aaaaaaaaaa">]>\n{body}'
    ).encode()
    return zip_of(parts)


def _xlsx_parts(macrosheet: bool = False) -> dict[str, bytes]:
    sheets = '<sheet name="Sheet1" sheetId="1" r:id="rId1"/>'
    sml = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    overrides = {
        "xl/workbook.xml": f"{sml}.sheet.main+xml",
        "xl/worksheets/sheet1.xml": f"{sml}.worksheet+xml",
        "docProps/app.xml": _APP_CT,
    }
    wb_rels = (
        '<Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.xml"/>'
    )
    parts: dict[str, bytes] = {
        "xl/worksheets/sheet1.xml": (
            f'{_XML_DECL}<worksheet xmlns="{_S_NS}">'
            '<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>'
        ).encode()
    }
    if macrosheet:
        sheets += '<sheet name="Macro1" sheetId="2" r:id="rId2"/>'
        overrides["xl/macrosheets/sheet1.xml"] = "application/vnd.ms-excel.macrosheet+xml"
        wb_rels += (
            '<Relationship Id="rId2" '
            'Type="http://schemas.microsoft.com/office/2006/relationships/xlMacrosheet" '
            'Target="macrosheets/sheet1.xml"/>'
        )
        parts["xl/macrosheets/sheet1.xml"] = (
            f"{_XML_DECL}"
            '<xm:macrosheet xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
            "<sheetData/></xm:macrosheet>"
        ).encode()
    parts["[Content_Types].xml"] = _content_types(overrides)
    parts["_rels/.rels"] = _rels("xl/workbook.xml")
    parts["xl/workbook.xml"] = (
        f"{_XML_DECL}"
        f'<workbook xmlns="{_S_NS}" xmlns:r="{_R_NS}"><sheets>{sheets}</sheets></workbook>'
    ).encode()
    parts["xl/_rels/workbook.xml.rels"] = (
        f'{_XML_DECL}<Relationships xmlns="{_REL_NS}">{wb_rels}</Relationships>'
    ).encode()
    parts["docProps/app.xml"] = _app("")
    return parts


def xlsx() -> bytes:
    return zip_of(_xlsx_parts())


def xlsx_with_xlm_macrosheet() -> bytes:
    return zip_of(_xlsx_parts(macrosheet=True))


def pptx(slides: int = 1) -> bytes:
    presentation = (
        f"{_XML_DECL}"
        f'<p:presentation xmlns:p="{_P_NS}" xmlns:r="{_R_NS}"><p:sldIdLst/></p:presentation>'
    ).encode()
    main = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
    return zip_of(
        {
            "[Content_Types].xml": _content_types(
                {"ppt/presentation.xml": main, "docProps/app.xml": _APP_CT}
            ),
            "_rels/.rels": _rels("ppt/presentation.xml"),
            "ppt/presentation.xml": presentation,
            "docProps/app.xml": _app(f"<Slides>{slides}</Slides>"),
        }
    )
