from __future__ import annotations

import io

import pytest

from mediagate.inspect.pdf_bytes import scan_pdf_bytes

MIB = 1024 * 1024


@pytest.mark.parametrize("shift", range(-12, 13, 3))
def test_a_name_cut_by_a_block_boundary_is_found(shift: int) -> None:
    head = b"%PDF-1.7\n" + b" " * (MIB - 9 + shift - 5)
    data = head + b"<< /S /JavaScript /JS (x) >>\n%%EOF\n"
    scan = scan_pdf_bytes(io.BytesIO(data))
    assert scan.kinds == {"javascript"}
    assert scan.last_eof_end == len(data) - 1


@pytest.mark.parametrize("shift", range(-12, 13, 3))
def test_a_stream_end_cut_by_a_block_boundary_is_found(shift: int) -> None:
    body = b"x" * (MIB - 40 + shift)
    data = b"%PDF-1.7\n1 0 obj\n<< >>\nstream\n" + body + b"\nendstream\nendobj\n/Launch\n%%EOF"
    scan = scan_pdf_bytes(io.BytesIO(data))
    assert scan.kinds == {"launch"}
    assert scan.last_eof_end == len(data)


def test_names_and_eof_markers_inside_streams_do_not_count() -> None:
    data = b"%PDF-1.7\n1 0 obj\n<< >>\nstream\r\n/JS (x) %%EOF /Launch\nendstream\nendobj\n"
    scan = scan_pdf_bytes(io.BytesIO(data))
    assert scan.kinds == set()
    assert scan.last_eof_end is None


def test_escaped_names_are_decoded_and_lookalikes_are_not_names() -> None:
    scan = scan_pdf_bytes(io.BytesIO(b"<< /#4Aav#61Script 1 0 R /JSON 2 /Launcher 3 >>"))
    assert scan.kinds == {"javascript"}
